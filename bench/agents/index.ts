/**
 * The agent benchmarks: transcript ingestion throughput (`agents-transcript`) and orchestrator
 * memory with concurrent agent steps streaming (`agents-memory`). Both run fake `claude` child
 * processes replaying recorded stream-json (../shared/fixtures/agent-streams) through Baton's real
 * path. Selected by `--only=agents` (or a unit id, or `sqlite`).
 */
import type { BatonBench } from '../lib/context.ts';
import { agentsMemory } from './memoryBench.ts';
import { agentsTranscript } from './transcriptBench.ts';

export const agentBenches: BatonBench[] = [agentsTranscript, agentsMemory];
