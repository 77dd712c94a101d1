/** The pendulum for TF.js: one scalar tensor per operation and step. */
type Tf = typeof import('@tensorflow/tfjs');

export function tfPendulum(tf: Tf, params: Float64Array, steps: number, h: number): () => { value: number; gradient: Float32Array } {
  const input = tf.tensor1d(Float32Array.from(params));
  const objective = (p: any) => {
    const [k, c, x0, v0] = tf.unstack(p);
    let x: any = x0;
    let v: any = v0;
    for (let i = 0; i < steps; i++) {
      const a = tf.sub(tf.neg(tf.mul(k!, tf.sin(x))), tf.mul(c!, v));
      v = tf.add(v, tf.mul(h, a));
      x = tf.add(x, tf.mul(h, v));
    }
    return tf.add(tf.square(tf.sub(x, 1)), tf.square(v)) as any;
  };
  const valueAndGrads = tf.valueAndGrads(objective);
  return () =>
    tf.tidy(() => {
      const { value, grads } = valueAndGrads([input]);
      return { value: value.dataSync()[0]!, gradient: grads[0]!.dataSync() as Float32Array };
    });
}
