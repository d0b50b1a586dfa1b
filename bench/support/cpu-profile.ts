/**
 * Summarises V8 CPU profiles (`node --cpu-prof`, or `npm run bench -- --cpu-prof`): where
 * the busy time went, by function (self time) and by package.
 *
 *     SWC_NODE_PROJECT=tsconfig.cli.json node -r @swc-node/register bench/support/cpu-profile.ts \
 *       <file|folder>... [--top 20] [--from <ms>] [--to <ms>]
 *
 * `--from` and `--to` keep only that window of each profile, in ms from its start (to leave
 * out a process's boot, say). Frames in a bundled app (`dist/apps/<app>/main.js`) are named
 * by the file and line they were bundled from, through the source map beside the bundle, so
 * that they count for their own package rather than for the bundle.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}

interface CallFrame {
  functionName: string;
  url: string;
  /** 0-based, as V8 gives them. */
  lineNumber: number;
  columnNumber: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

interface ProfileSummary {
  /** Sampled time that was not idle, in ms. */
  busyMs: number;
  idleMs: number;
  frames: Array<{ frame: string; ms: number; share: number }>;
  packages: Array<{ name: string; ms: number; share: number }>;
}

/** The package a script belongs to: `bullmq`, `@nestjs/core`, `node:internal`, `depot`... */
function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node (internals)';
  if (url.startsWith('webpack:')) return 'bundler runtime';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1]!;
  return url.includes('/dist/apps/') ? 'depot (dist bundle)' : 'depot';
}

const sourceMaps = new Map<string, SourceMap | undefined>();

/** The source map beside a script, if it has one (`main.js.map` beside a bundle). */
function sourceMapOf(url: string): SourceMap | undefined {
  if (!sourceMaps.has(url)) {
    const path = url.startsWith('file:') ? fileURLToPath(url) : url;
    const mapPath = `${path}.map`;
    sourceMaps.set(
      url,
      path.includes('/dist/') && existsSync(mapPath)
        ? new SourceMap(JSON.parse(readFileSync(mapPath, 'utf8')) as SourceMapPayload)
        : undefined,
    );
  }
  return sourceMaps.get(url);
}

/** A bundled frame as the file and line it was bundled from; any other frame as it is. */
function originalFrame(frame: CallFrame): CallFrame {
  const map = frame.url ? sourceMapOf(frame.url) : undefined;
  const entry = map?.findEntry(frame.lineNumber, frame.columnNumber);
  if (!entry || !('originalSource' in entry) || typeof entry.originalSource !== 'string') return frame;
  // rspack names sources `webpack://depot/./node_modules/pg/lib/client.js`, `.../libs/...`.
  const source = entry.originalSource.replace(/^webpack:\/\/[^/]*\/\.\//, '');
  return { ...frame, url: source, lineNumber: entry.originalLine, columnNumber: entry.originalColumn };
}

function frameName({ functionName, url, lineNumber }: CallFrame): string {
  const where = url
    ? `${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/(?=[^/]+\/[^/]+$)/, '')}:${lineNumber + 1}`
    : '';
  return `${functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
}

export function summarizeProfile(profile: CpuProfile, top = 15, fromMs = 0, toMs = Infinity): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMs = new Map<number, number>();
  let elapsedMs = 0;
  profile.samples.forEach((id, index) => {
    const deltaMs = (profile.timeDeltas[index] ?? 0) / 1000;
    elapsedMs += deltaMs;
    if (elapsedMs >= fromMs && elapsedMs < toMs) selfMs.set(id, (selfMs.get(id) ?? 0) + deltaMs);
  });
  let idleMs = 0;
  const frames = new Map<string, number>();
  const packages = new Map<string, number>();
  for (const [id, ms] of selfMs) {
    const node = byId.get(id);
    if (!node) continue;
    if (node.callFrame.functionName === '(idle)') {
      idleMs += ms;
      continue;
    }
    const callFrame = originalFrame(node.callFrame);
    const frame = frameName(callFrame);
    frames.set(frame, (frames.get(frame) ?? 0) + ms);
    const name = packageOf(callFrame.url, callFrame.functionName);
    packages.set(name, (packages.get(name) ?? 0) + ms);
  }
  const busyMs = [...frames.values()].reduce((sum, ms) => sum + ms, 0);
  const ranked = (map: Map<string, number>) => [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  return {
    busyMs,
    idleMs,
    frames: ranked(frames).map(([frame, ms]) => ({ frame, ms, share: ms / busyMs })),
    packages: ranked(packages).map(([name, ms]) => ({ name, ms, share: ms / busyMs })),
  };
}

function formatSummary(title: string, summary: ProfileSummary): string {
  const pct = (share: number): string => `${(share * 100).toFixed(1).padStart(5)} %`;
  return [
    `${title}: ${Math.round(summary.busyMs)} ms busy, ${Math.round(summary.idleMs)} ms idle`,
    '  self time by package:',
    ...summary.packages.map((p) => `    ${pct(p.share)}  ${p.name}`),
    '  top frames (self time):',
    ...summary.frames.map((f) => `    ${pct(f.share)}  ${f.frame}`),
  ].join('\n');
}

function profileFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((entry) => profileFiles(join(path, entry)));
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const option = (name: string, fallback: number): number => {
    const index = args.indexOf(name);
    return index >= 0 ? Number(args.splice(index, 2)[1]) : fallback;
  };
  const top = option('--top', 15);
  const fromMs = option('--from', 0);
  const toMs = option('--to', Infinity);
  for (const file of args.flatMap(profileFiles).filter((f) => f.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    console.log(`${formatSummary(file, summarizeProfile(profile, top, fromMs, toMs))}\n`);
  }
}
