/**
 * A line diff of two policy documents, pretty-printed: what a reviewer reads before saying yes to
 * an update. Unchanged runs are cut to `context` lines around each change.
 */
export function diffPolicies(before: unknown, after: unknown, context = 2): string[] {
  const a = JSON.stringify(before, null, 2).split("\n");
  const b = JSON.stringify(after, null, 2).split("\n");
  // A line that only gained or lost its trailing comma (a list item that is no longer last) is
  // unchanged to a reader: compare without it, print the new line.
  const ka = a.map((l) => l.replace(/,$/, ""));
  const kb = b.map((l) => l.replace(/,$/, ""));
  // Longest common subsequence, by dynamic programming: documents are a few hundred lines at most.
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      const row = lcs[i] as number[];
      row[j] =
        a[i] === b[j] ? (lcs[i + 1]?.[j + 1] ?? 0) + 1 : Math.max(lcs[i + 1]?.[j] ?? 0, row[j + 1] ?? 0);
    }
  }
  const lines: Array<{ sign: " " | "-" | "+"; text: string }> = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && ka[i] === kb[j]) {
      lines.push({ sign: " ", text: b[j] as string });
      i++;
      j++;
    } else if (j < b.length && (i >= a.length || (lcs[i]?.[j + 1] ?? 0) >= (lcs[i + 1]?.[j] ?? 0))) {
      lines.push({ sign: "+", text: b[j] as string });
      j++;
    } else {
      lines.push({ sign: "-", text: a[i] as string });
      i++;
    }
  }
  const changed = lines.map((l) => l.sign !== " ");
  const keep = lines.map((_, k) => changed.slice(Math.max(0, k - context), k + context + 1).some(Boolean));
  const out: string[] = [];
  lines.forEach((l, k) => {
    if (keep[k]) out.push(`${l.sign} ${l.text}`);
    else if (k === 0 || keep[k - 1]) out.push("  …");
  });
  return out;
}
