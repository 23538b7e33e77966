/**
 * The benchmark report: figures grouped in sections, each optionally compared with a reference
 * figure measured in the same run ("1.35× graphile-worker (better)").
 *
 * Baton's own benchmarks (bench/baton/*.ts) add their figures to the same Report as the references:
 *
 *   report.add('PostgreSQL', 'Baton: 3-step workflows/s, sequential', rate, 'wf/s',
 *     { label: 'DBOS', value: refs.dbos.workflowsPerSecSequential, higherIsBetter: true });
 */

export interface ReportRef {
  /** What the figure is compared with, e.g. "graphile-worker" or "raw SQLite". */
  label: string;
  value: number;
  /** True for rates (jobs/s), false for latencies (ms). */
  higherIsBetter: boolean;
}

export interface ReportEntry {
  section: string;
  label: string;
  /** NaN for a failed or skipped figure (see `error`). */
  value: number;
  unit: string;
  ref?: ReportRef;
  /** Set when the figure could not be measured. */
  error?: string;
}

export interface ReportSection {
  name: string;
  notes: string[];
  entries: ReportEntry[];
}

/** 1234.5 → "1,235"; 123.45 → "123"; 12.345 → "12.3"; 1.2345 → "1.23"; 0.01234 → "0.0123". */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 100) return Math.round(value).toLocaleString('en-US');
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1 || abs === 0) return value.toFixed(2);
  return value.toPrecision(3);
}

/**
 * "1.35× graphile-worker (better)": the ratio value/ref.value, and whether that is better or worse
 * given the direction of the figure (within 2 % counts as "same").
 */
export function formatRatio(value: number, ref: ReportRef): string {
  if (!Number.isFinite(value) || !Number.isFinite(ref.value) || ref.value === 0) return `n/a vs ${ref.label}`;
  const ratio = value / ref.value;
  const digits = ratio >= 100 ? 0 : ratio >= 10 ? 1 : 2;
  const better = ref.higherIsBetter ? ratio > 1 : ratio < 1;
  const verdict = Math.abs(ratio - 1) < 0.02 ? 'same' : better ? 'better' : 'worse';
  return `${ratio.toFixed(digits)}× ${ref.label} (${verdict})`;
}

export class Report {
  readonly title: string;
  private readonly meta: Array<[string, string]> = [];
  private readonly sections = new Map<string, ReportSection>();

  constructor(title = 'Baton benchmark') {
    this.title = title;
  }

  /** A header line (versions, machine, mode). */
  setMeta(key: string, value: string): this {
    const existing = this.meta.find(([k]) => k === key);
    if (existing) existing[1] = value;
    else this.meta.push([key, value]);
    return this;
  }

  /** Declares a section (fixing its position in the output) and returns it. */
  section(name: string): ReportSection {
    let section = this.sections.get(name);
    if (!section) {
      section = { name, notes: [], entries: [] };
      this.sections.set(name, section);
    }
    return section;
  }

  /** A free-text note printed under the section title (settings used, caveats). */
  note(section: string, text: string): this {
    this.section(section).notes.push(text);
    return this;
  }

  add(section: string, label: string, value: number, unit: string, ref?: ReportRef): this {
    const entry: ReportEntry = { section, label, value, unit };
    if (ref) entry.ref = ref;
    this.section(section).entries.push(entry);
    return this;
  }

  /** Records a figure that could not be measured, so the report says so instead of omitting it. */
  fail(section: string, label: string, error: unknown): this {
    const message = error instanceof Error ? error.message : String(error);
    this.section(section).entries.push({ section, label, value: Number.NaN, unit: '', error: message });
    return this;
  }

  entries(): ReportEntry[] {
    return [...this.sections.values()].flatMap((s) => s.entries);
  }

  /** Looks up a figure already added (for use as a reference by a later benchmark). */
  get(section: string, label: string): ReportEntry | undefined {
    return this.sections.get(section)?.entries.find((e) => e.label === label);
  }

  hasFailures(): boolean {
    return this.entries().some((e) => e.error !== undefined);
  }

  toJSON(): { title: string; meta: Record<string, string>; sections: ReportSection[] } {
    return {
      title: this.title,
      meta: Object.fromEntries(this.meta),
      sections: [...this.sections.values()].filter((s) => s.entries.length > 0 || s.notes.length > 0),
    };
  }

  format(): string {
    const lines: string[] = [];
    const bar = '═'.repeat(Math.max(40, this.title.length + 4));
    lines.push(bar, `  ${this.title}`, bar);
    const keyWidth = Math.max(0, ...this.meta.map(([k]) => k.length));
    for (const [key, value] of this.meta) lines.push(`  ${key.padEnd(keyWidth)}  ${value}`);

    for (const section of this.sections.values()) {
      if (section.entries.length === 0 && section.notes.length === 0) continue;
      lines.push('', `── ${section.name} ${'─'.repeat(Math.max(3, 72 - section.name.length))}`);
      for (const note of section.notes) lines.push(`  · ${note}`);
      if (section.entries.length === 0) continue;
      const labelWidth = Math.max(...section.entries.map((e) => e.label.length));
      const values = section.entries.map((e) => (e.error === undefined ? formatNumber(e.value) : ''));
      const valueWidth = Math.max(...values.map((v) => v.length));
      const unitWidth = Math.max(...section.entries.map((e) => e.unit.length));
      section.entries.forEach((entry, i) => {
        const label = `  ${entry.label.padEnd(labelWidth)}  `;
        if (entry.error !== undefined) {
          lines.push(`${label}FAILED: ${entry.error}`);
          return;
        }
        let line = `${label}${(values[i] ?? '').padStart(valueWidth)} ${entry.unit.padEnd(unitWidth)}`;
        if (entry.ref) line += `   ${formatRatio(entry.value, entry.ref)}`;
        lines.push(line.trimEnd());
      });
    }
    return `${lines.join('\n')}\n`;
  }

  print(out: NodeJS.WritableStream = process.stdout): void {
    out.write(this.format());
  }
}
