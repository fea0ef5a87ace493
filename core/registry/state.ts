/**
 * Registry state from annotated tags, with GTO's semantics (so `gto show` on the same repository agrees):
 *
 * - Tags are read in tagger-time order; the `#N` counter only breaks ties within one second (git
 *   dates have no finer grain). Tags that are not registry tags, break the grammar or have no tagger
 *   date are skipped.
 * - A version is a (version, commit) pair made by registration tags. It is active while its newest
 *   registration is newer than its newest deregistration (a tie counts as deregistered, as in GTO).
 * - A stage tag belongs to the version registered at the tag's commit, whenever that registration
 *   was tagged (GTO indexes all registrations before any stage tag). A commit with no registration
 *   gets a version named by its sha.
 * - A version is in a stage while its newest assignment is newer than its newest unassignment (a tie
 *   counts as unassigned). Among the active versions in a stage, the holder is the one assigned most
 *   recently: re-assigning an older version (GTO's `--force`) takes the stage back.
 * - A deregistered version holds nothing. `latest` is the highest active registered version.
 * - A model is deprecated while a deprecation is its newest event; any later tag brings it back.
 */
import { isVersion, parseTag } from './grammar.ts';
import type {
  AnnotatedTag,
  Assignment,
  Deregistration,
  HistoryEntry,
  ModelState,
  ParsedTag,
  Registration,
  RegistryEvent,
  RegistryState,
  StageHolder,
  Unassignment,
  VersionState,
} from './types.ts';
import { sortVersionsDescending } from './versions.ts';

interface TagEvent<Parsed extends ParsedTag = ParsedTag> {
  parsed: Parsed;
  source: AnnotatedTag;
  time: number;
  /** Position in tagger-time order; breaks ties between tags of the same second. */
  seq: number;
}

/** Narrows a tag event by what its tag records (TypeScript does not narrow an object by its property's property). */
function isEventOf<Kind extends RegistryEvent>(
  event: TagEvent,
  ...kinds: Kind[]
): event is TagEvent<Extract<ParsedTag, { event: Kind }>> {
  return (kinds as RegistryEvent[]).includes(event.parsed.event);
}

interface StageRecord {
  assignments: TagEvent[];
  unassignments: TagEvent[];
}

interface VersionRecord {
  version: string;
  sha: string;
  /** Made by a registration or deregistration tag (GTO: not "discovered"). */
  explicit: boolean;
  registrations: TagEvent[];
  deregistrations: TagEvent[];
  stages: Map<string, StageRecord>;
}

// GTO's event priorities, which order same-second events in a model's history.
const PRIORITY: Record<RegistryEvent, number> = {
  deprecation: 2,
  registration: 3,
  deregistration: 4,
  assignment: 5,
  unassignment: 6,
};

const newest = (events: readonly TagEvent[]): TagEvent | undefined =>
  events.reduce<TagEvent | undefined>(
    (best, e) => (!best || e.time > best.time || (e.time === best.time && e.seq > best.seq) ? e : best),
    undefined,
  );

/** An addition (registration, assignment) stands only when strictly newer than the newest cancellation. */
const standsAgainst = (additions: readonly TagEvent[], cancellations: readonly TagEvent[]): boolean => {
  const added = newest(additions);
  const cancelled = newest(cancellations);
  return added !== undefined && (cancelled === undefined || added.time > cancelled.time);
};

const isoOf = (event: TagEvent) => event.source.taggedAt;

/**
 * Each tag's parse, kept per tag object: the app recomputes the state of a registry of hundreds of
 * tags on every tag push, from tag objects it keeps (AnnotatedTag values are never modified).
 */
const readings = new WeakMap<AnnotatedTag, { parsed: ParsedTag; time: number } | null>();

function readTag(source: AnnotatedTag): { parsed: ParsedTag; time: number } | null {
  let reading = readings.get(source);
  if (reading !== undefined) return reading;
  const time = Date.parse(source.taggedAt);
  reading = null;
  if (!Number.isNaN(time)) {
    try {
      reading = { parsed: parseTag(source.tag), time };
    } catch {
      // someone else's tag, or a broken one: GTO skips both
    }
  }
  readings.set(source, reading);
  return reading;
}

function readEvents(tags: readonly AnnotatedTag[]): TagEvent[] {
  const events: TagEvent[] = [];
  for (const source of tags) {
    const reading = readTag(source);
    if (reading) events.push({ parsed: reading.parsed, source, time: reading.time, seq: 0 });
  }
  // Tagger dates have one-second resolution; within a second the #N counter, then the name, decide.
  events.sort(
    (a, b) =>
      a.time - b.time ||
      (a.parsed.number ?? 0) - (b.parsed.number ?? 0) ||
      (a.source.tag < b.source.tag ? -1 : a.source.tag > b.source.tag ? 1 : 0),
  );
  events.forEach((event, seq) => (event.seq = seq));
  return events;
}

class ModelBuilder {
  readonly deprecations: TagEvent[] = [];
  readonly versions: VersionRecord[] = [];
  private readonly history: Array<{ entry: HistoryEntry; event: TagEvent }> = [];
  private readonly unregistered = new Map<string, VersionRecord>();
  /** Registered versions by `version@sha`, and by commit: lookups stay O(1) in registries of thousands of tags. */
  private readonly explicitByKey = new Map<string, VersionRecord>();
  private readonly explicitBySha = new Map<string, VersionRecord[]>();

  constructor(readonly name: string) {}

  addDirect(event: TagEvent<Registration | Deregistration>): void {
    const { version } = event.parsed;
    const key = `${version}@${event.source.sha}`;
    let record = this.explicitByKey.get(key);
    if (!record) {
      record = {
        version,
        sha: event.source.sha,
        explicit: true,
        registrations: [],
        deregistrations: [],
        stages: new Map(),
      };
      this.versions.push(record);
      this.explicitByKey.set(key, record);
      const atSha = this.explicitBySha.get(record.sha);
      if (atSha) atSha.push(record);
      else this.explicitBySha.set(record.sha, [record]);
    }
    (event.parsed.event === 'registration' ? record.registrations : record.deregistrations).push(event);
    this.record(event, version);
  }

  addStage(event: TagEvent<Assignment | Unassignment>): void {
    const record = this.versionAt(event.source.sha);
    const { stage } = event.parsed;
    let stageRecord = record.stages.get(stage);
    if (!stageRecord) record.stages.set(stage, (stageRecord = { assignments: [], unassignments: [] }));
    // GTO files every stage tag on an unregistered commit under a version entry of its own, so an
    // unassignment there never cancels an assignment; keeping that makes `gto show` agree.
    if (event.parsed.event === 'assignment') stageRecord.assignments.push(event);
    else if (record.explicit) stageRecord.unassignments.push(event);
    this.record(event, record.version);
  }

  addDeprecation(event: TagEvent): void {
    this.deprecations.push(event);
    this.record(event, undefined);
  }

  /** The version registered at `sha`. GTO fails outright when there are several; we take the active, highest one. */
  private versionAt(sha: string): VersionRecord {
    const atSha = this.explicitBySha.get(sha) ?? [];
    const candidates =
      atSha.length > 1
        ? sortVersionsDescending(atSha, (v) => v.version).sort((a, b) => Number(isActive(b)) - Number(isActive(a)))
        : atSha;
    if (candidates.length > 0) return candidates[0];
    let record = this.unregistered.get(sha);
    if (!record) {
      record = { version: sha, sha, explicit: false, registrations: [], deregistrations: [], stages: new Map() };
      this.unregistered.set(sha, record);
      this.versions.push(record);
    }
    return record;
  }

  private record(event: TagEvent, version: string | undefined): void {
    const { tagger, message } = event.source;
    // Built field by field (same key order as spreading the parsed tag): V8 copies a spread of
    // these differently shaped objects slowly, and registries run to thousands of tags.
    const { parsed, source } = event;
    const entry = { name: parsed.name, event: parsed.event } as HistoryEntry;
    if (parsed.version !== undefined) entry.version = version ?? parsed.version;
    if (parsed.stage !== undefined) entry.stage = parsed.stage;
    if (parsed.number !== undefined) entry.number = parsed.number;
    entry.tag = source.tag;
    entry.sha = source.sha;
    entry.at = source.taggedAt;
    if (version !== undefined) entry.version = version;
    if (tagger) entry.by = `${tagger.name} <${tagger.email}>`;
    if (message !== undefined) entry.message = message.trim();
    this.history.push({ entry, event });
  }

  build(): ModelState {
    const listed = this.versions.filter(isActive);
    const candidates: Array<{ record: VersionRecord; stage: string; assigned: TagEvent }> = [];
    for (const record of listed) {
      for (const [stage, s] of record.stages) {
        const assigned = newest(s.assignments);
        if (assigned && standsAgainst(s.assignments, s.unassignments)) candidates.push({ record, stage, assigned });
      }
    }
    const holders = new Map<string, (typeof candidates)[number]>();
    for (const candidate of candidates) {
      const current = holders.get(candidate.stage);
      const later =
        !current ||
        candidate.assigned.time > current.assigned.time ||
        (candidate.assigned.time === current.assigned.time && candidate.assigned.seq > current.assigned.seq);
      if (later) holders.set(candidate.stage, candidate);
    }
    const stages: Record<string, StageHolder> = {};
    for (const stage of [...holders.keys()].sort()) {
      const { record, assigned } = holders.get(stage)!;
      stages[stage] = {
        stage,
        version: record.version,
        sha: record.sha,
        tag: assigned.source.tag,
        at: isoOf(assigned),
      };
    }

    const versions = sortVersionsDescending(
      this.versions.map((record) => toVersionState(record, stages)),
      (v) => v.version,
    );
    const latest = versions.find((v) => v.registered && v.active && isVersion(v.version))?.version;

    const lastDeprecation = newest(this.deprecations);
    const lastOther = newest(this.history.map((h) => h.event).filter((e) => e.parsed.event !== 'deprecation'));
    const deprecated =
      lastDeprecation !== undefined && (lastOther === undefined || lastDeprecation.time > lastOther.time);

    const history = [...this.history]
      .sort(
        (a, b) =>
          a.event.time - b.event.time || PRIORITY[a.entry.event] - PRIORITY[b.entry.event] || a.event.seq - b.event.seq,
      )
      .map((h) => h.entry);
    return { name: this.name, deprecated, ...(latest !== undefined ? { latest } : {}), versions, stages, history };
  }
}

function isActive(record: VersionRecord): boolean {
  return record.explicit ? standsAgainst(record.registrations, record.deregistrations) : true;
}

function toVersionState(record: VersionRecord, stages: Record<string, StageHolder>): VersionState {
  const authoring =
    newest(record.registrations) ??
    newest(record.deregistrations) ??
    newest([...record.stages.values()].flatMap((s) => [...s.assignments, ...s.unassignments]))!;
  return {
    version: record.version,
    sha: record.sha,
    tag: authoring.source.tag,
    at: isoOf(authoring),
    active: isActive(record),
    registered: record.registrations.length > 0,
    stages: Object.values(stages)
      .filter((holder) => holder.version === record.version && holder.sha === record.sha)
      .map((holder) => holder.stage),
  };
}

/** The registry as the given annotated tags describe it (GTO semantics; see the file comment). */
export function registryState(tags: readonly AnnotatedTag[]): RegistryState {
  const events = readEvents(tags);
  const builders = new Map<string, ModelBuilder>();
  const builder = (name: string) => builders.get(name) ?? builders.set(name, new ModelBuilder(name)).get(name)!;
  // GTO's order: deprecations, then every registration and deregistration, then stage tags.
  for (const event of events)
    if (event.parsed.event === 'deprecation') builder(event.parsed.name).addDeprecation(event);
  for (const event of events)
    if (isEventOf(event, 'registration', 'deregistration')) builder(event.parsed.name).addDirect(event);
  for (const event of events)
    if (isEventOf(event, 'assignment', 'unassignment')) builder(event.parsed.name).addStage(event);
  const models: Record<string, ModelState> = {};
  for (const name of [...builders.keys()].sort()) models[name] = builders.get(name)!.build();
  return { models };
}
