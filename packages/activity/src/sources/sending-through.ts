/** `send` of any SDK client. */
type Send = (...args: unknown[]) => Promise<unknown>;

/**
 * A view of an SDK client whose every `send` goes through `around` (a pace, a count): the same
 * configuration and middleware, and `instanceof` holds, so the SDK's paginators take it.
 */
export function sendingThrough<C extends object>(
  client: C,
  around: (send: () => Promise<unknown>) => Promise<unknown>,
): C {
  const view = Object.create(client) as C;
  const send = (client as unknown as { send: Send }).send.bind(client);
  (view as unknown as { send: Send }).send = (...args) => around(() => send(...args));
  return view;
}
