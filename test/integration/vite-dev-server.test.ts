/**
 * The Vite dev server starts without errors or warnings about companions: its dependency scan
 * reads from disk the files it resolves, and used to fail on the companion, which exists only in
 * memory ("Failed to run dependency scan … Could not load src/model.grad.ts"). The logger is
 * Vite's own at its default level, so that nothing hides such a message.
 */
import * as path from 'node:path';
import { createLogger, createServer, type LogErrorOptions, type LogOptions } from 'vite';
import { describe, expect, test } from 'vitest';
import { fixture } from './support.js';

describe('the vite dev server with @adjoint/unplugin/vite', () => {
  test('scans the dependencies of a page importing a companion without a warning', async () => {
    const dir = fixture('vite');
    const messages: string[] = [];
    const logger = createLogger('info');
    for (const level of ['warn', 'warnOnce', 'error'] as const) {
      logger[level] = (message: string, _options?: LogOptions & LogErrorOptions) => void messages.push(`${level}: ${message}`);
    }
    const server = await createServer({ root: dir, configFile: path.join(dir, 'vite.config.ts'), customLogger: logger, server: { port: 0, host: '127.0.0.1' } });
    try {
      await server.listen();
      const optimizer = server.environments.client.depsOptimizer as { initState?: string; scanProcessing?: Promise<void> } | undefined;
      expect(optimizer).toBeDefined();
      while (optimizer!.initState !== 'initialized') await new Promise((r) => setTimeout(r, 50));
      await optimizer!.scanProcessing;
      // the page is served, companion included
      const page = await server.environments.client.transformRequest('/src/model.grad.ts');
      expect(page?.code).toContain('export function grad_loss(');
    } finally {
      await server.close();
    }
    expect(messages).toEqual([]);
  });
});
