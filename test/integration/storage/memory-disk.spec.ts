import { describeDiskContract } from './disk.contract';
import { memoryHarness, scopedMemoryHarness } from './support/harness';

describeDiskContract('memory', memoryHarness);
describeDiskContract('scoped memory', scopedMemoryHarness);
