/** RESULTS.md: a table per comparison, the ratio lines, the targets, and what bounds a missed one. */

export function renderMarkdown({ machine, settings, sections, bounds, seconds }) {
  const out = [];
  out.push('# copilot-rx benchmarks', '');
  out.push(`Produced by \`npm run bench\`${settings.quick ? ' --quick (a smoke run: small inputs, one run; not for quoting)' : ''} ` +
    `(the latest run took ${Math.round(seconds)} s; each section says when, with which Node and commit, it was measured). Every run is its own process; the variants of a comparison alternate (A B A B ...). ` +
    'Cells are the median [min–max] over the runs. The replay server writes the CLI→client notifications recorded from ' +
    'CLI 1.0.102 (`raw-capi-chunks-5000.jsonl`, ~10k session.event notifications a repetition, with fresh event ids ' +
    'per repetition) over a loopback TCP socket. Nothing in this file is asserted by a test.', '');
  out.push('## Machine', '', '| | |', '|---|---|');
  for (const [k, v] of Object.entries({ ...machine, packages: undefined, runs: settings.runs })) if (v !== undefined) out.push(`| ${k} | ${v} |`);
  for (const [k, v] of Object.entries(machine.packages)) out.push(`| ${k} | ${v} |`);
  out.push('');

  out.push('## Summary', '');
  for (const section of sections) for (const line of section.ratios) out.push(`- ${line}`);
  out.push('', '### Targets', '', '| target | measured | met |', '|---|---|---|');
  for (const section of sections) for (const t of section.targets) out.push(`| ${t.target} | ${t.value} | ${t.met ? 'yes' : '**no**'} |`);
  out.push('');

  for (const section of sections) {
    out.push(`## ${section.title}`, '', section.setup, '');
    if (section.measured) {
      const m = section.measured;
      const load = m.loadAverage.replace(/ \(1, 5, 15 min\)$/, '');
      out.push(`Measured ${m.date.slice(0, 10)} with Node ${m.node}, commit ${m.commit}, load ${load} (1, 5, 15 min).`, '');
      // Other work on a shared machine inflates every time in the section: say so where it happened.
      const cores = Number(/× (\d+)/.exec(machine.cpu)?.[1] ?? NaN);
      const peakLoad = Math.max(...(m.loadAverage.match(/\d+\.\d+/g) ?? []).map(Number));
      if (peakLoad > cores) {
        out.push(`The machine was shared and loaded during this section (load up to ${peakLoad.toFixed(1)} on ${cores} cores): absolute times are inflated; compare the rows, which ran under the same load, not the times with other sections.`, '');
      }
    }
    out.push(`| ${section.head.join(' | ')} |`, `|${section.head.map(() => '---').join('|')}|`);
    for (const row of section.rows) out.push(`| ${row.join(' | ')} |`);
    out.push('');
    for (const line of section.ratios) out.push(`- ${line}`);
    if (section.notes) out.push('', ...section.notes);
    const failures = Object.entries(section.raw ?? {}).flatMap(([k, runs]) => runs.filter((r) => r.error).map((r) => `${k}: ${r.error.split('\n')[0]}`));
    if (failures.length > 0) out.push('', 'Failed runs:', ...failures.map((f) => `- ${f}`));
    out.push('');
  }
  if (bounds) out.push('## What bounds the missed targets', '', bounds.trim(), '');
  return out.join('\n');
}
