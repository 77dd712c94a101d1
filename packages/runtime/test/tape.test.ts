import { describe, expect, it } from 'vitest';
import { Tape } from '../src/index.js';

describe('Tape', () => {
  it('pops what was pushed, last first', () => {
    const tape = new Tape();
    for (const v of [1.5, -2, Math.PI]) tape.push(v);
    expect([tape.pop(), tape.pop(), tape.pop()]).toEqual([Math.PI, -2, 1.5]);
  });

  it('keeps every value when it grows past its first 1024', () => {
    const tape = new Tape();
    const n = 5000;
    for (let i = 0; i < n; i++) tape.push(i * 0.5);
    const popped = Array.from({ length: n }, () => tape.pop());
    expect(popped).toEqual(Array.from({ length: n }, (_, k) => (n - 1 - k) * 0.5));
  });

  it('grows to hold what a function keeping it in locals asks for, and keeps what it held', () => {
    const tape = new Tape();
    let values = tape.values;
    let top = tape.top;
    for (let i = 0; i < 1000; i++) values[top++] = i;
    // room for 5,000 more: the buffer doubles until it holds them
    values = tape.grow(top + 5000);
    expect(values).toBe(tape.values);
    expect(values.length).toBe(8192);
    for (let i = 1000; i < 6000; i++) values[top++] = i;
    tape.top = top;
    // Tape.push and pop agree with the top handed back
    tape.push(-1);
    expect(tape.pop()).toBe(-1);
    expect(Array.from({ length: 6000 }, () => tape.pop())).toEqual(Array.from({ length: 6000 }, (_, k) => 5999 - k));
  });

  it('nests: a callee pops what it pushed before its caller pops', () => {
    const tape = new Tape();
    tape.push(1);
    tape.push(10);
    expect(tape.pop()).toBe(10);
    tape.push(2);
    expect([tape.pop(), tape.pop()]).toEqual([2, 1]);
  });
});
