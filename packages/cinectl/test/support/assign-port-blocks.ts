// Once per run of the system tests: the port blocks of the tests that run real workers are found free and shared out.
import type { TestProject } from 'vitest/node';
import { probePortFree } from '../../src/state/ports.ts';
import { assignBlocks } from './port-blocks.ts';

export default async function setup(project: TestProject): Promise<void> {
  project.provide('portBlocks', await assignBlocks(probePortFree));
}
