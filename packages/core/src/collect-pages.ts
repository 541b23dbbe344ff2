/**
 * Flattens the pages of an SDK v3 paginator into one array. The paginators follow every NextToken,
 * including after the empty pages Organizations returns while more results remain.
 */
export async function collectPages<P, I>(
  pages: AsyncIterable<P>,
  items: (page: P) => I[] | undefined,
): Promise<I[]> {
  const out: I[] = [];
  for await (const page of pages) {
    const got = items(page);
    if (got) out.push(...got);
  }
  return out;
}
