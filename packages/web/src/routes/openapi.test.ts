import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../paths.ts';
import { openapiRoutes, SPEC_FILES } from './openapi.ts';

describe('GET /api/openapi.yaml', () => {
  let dir: string;
  let built: string;
  let docs: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cinestream-openapi-'));
    built = join(dir, 'dist-openapi.yaml');
    docs = join(dir, 'docs-openapi.yaml');
    writeFileSync(built, 'openapi: 3.0.3 # built\n');
    writeFileSync(docs, 'openapi: 3.0.3 # docs\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function ask(
    files: string[],
    routes = openapiRoutes,
  ): Promise<{ status: number; type: string | null; text: string }> {
    const server = express().use(routes(files)).listen(0, '127.0.0.1');
    await new Promise((ready) => server.once('listening', ready));
    try {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/openapi.yaml`);
      return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
    } finally {
      server.close();
    }
  }

  it('serves the copy the build put into dist before the one in docs', async () => {
    expect(await ask([built, docs])).toEqual({
      status: 200,
      type: 'application/yaml; charset=utf-8',
      text: 'openapi: 3.0.3 # built\n',
    });
  });

  it('serves the docs copy when there is no built one', async () => {
    expect((await ask([join(dir, 'missing.yaml'), docs])).text).toBe('openapi: 3.0.3 # docs\n');
  });

  it('answers 404 when neither is there', async () => {
    expect((await ask([join(dir, 'missing.yaml')])).status).toBe(404);
  });

  it('looks next to the running code first, so run from src it serves docs/openapi.yaml', () => {
    expect(SPEC_FILES.map((file) => file.split('/').slice(-2).join('/'))).toEqual([
      'src/openapi.yaml',
      'docs/openapi.yaml',
    ]);
  });

  // The test run builds the package first (cinectl's test/support/build-packages.ts), as a release is built.
  it('is in a build: the compiled route serves dist/openapi.yaml, which a release keeps and docs/ is not', async () => {
    const built: typeof import('./openapi.ts') = await import(
      pathToFileURL(resolve(packageRoot, 'dist/routes/openapi.js')).href
    );
    expect(built.SPEC_FILES[0]).toBe(resolve(packageRoot, 'dist/openapi.yaml'));
    const answer = await ask([built.SPEC_FILES[0] ?? ''], built.openapiRoutes);
    expect(answer.status).toBe(200);
    expect(answer.text).toBe(readFileSync(resolve(packageRoot, '../../docs/openapi.yaml'), 'utf8'));
  });
});
