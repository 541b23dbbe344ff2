import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";

/** The scope of the operator's own calls (STS, Organizations), shared by every account's work. */
export const OPERATOR_SCOPE = "operator";

/** Who the requests of one client view act as. */
export interface ScopeRun {
  /** A stable key: an account id, or OPERATOR_SCOPE. */
  scope: string;
  identity: AwsCredentialIdentityProvider;
  /** What its requests carry in SCOPE_HEADER until they are signed (RequestScopes.register). */
  id?: string;
  /** Set once the scope's credentials were resolved once (firstIdentity). */
  ready?: boolean;
  /** The first resolution, while it runs. */
  resolving?: Promise<void> | undefined;
}

/**
 * Resolves the scope's credentials before its first request is sent, outside the SDK's retry loop:
 * a missing or refused credential then fails the call as a credentials error (as the SDK's own
 * identity step would), not as an error of the service's response. Nothing to wait for afterwards;
 * a failure is not remembered (the next call asks again).
 */
export function firstIdentity(run: ScopeRun): Promise<void> | undefined {
  if (run.ready) return undefined;
  run.resolving ??= run.identity().then(
    () => {
      run.ready = true;
      run.resolving = undefined;
    },
    (err: unknown) => {
      run.resolving = undefined;
      throw err;
    },
  );
  return run.resolving;
}

/** Where the middleware's arguments carry the call's scope. */
const SCOPE_OF_ARGS = Symbol("orgwarden.scope");

/** The header that carries a request's scope from the middleware to the signer; removed before signing. */
const SCOPE_HEADER = "x-orgwarden-scope";

/** What the SDK asks of a SigV4 signer for a request. */
interface RequestSigner {
  sign(request: unknown, options?: unknown): Promise<unknown>;
}

/**
 * Finds the scope of a request made through a shared SDK client, without AsyncLocalStorage (whose
 * promise hooks cost every promise of the process: about a fifth of the CPU of a request).
 * - A view's `send` binds the command's input to the view's scope (`bind`).
 * - The shared client's first middleware finds it from that input (`ofInput`) and carries it on its
 *   arguments (`withScope`, `ofArgs`), which later steps copy, even when they copy the input.
 * - The build step marks the HTTP request with the scope's id (`stamp`); the signer reads it and
 *   signs a copy without it (`ofRequest`), as that scope (`signingAs`).
 * A request whose scope cannot be found fails loudly, never signs as another scope.
 */
export class RequestScopes {
  readonly #byInput = new WeakMap<object, ScopeRun>();
  /** The scopes whose requests may be in flight, by the id their requests carry (SCOPE_HEADER). */
  readonly #byId = new Map<string, ScopeRun>();
  #nextId = 0;
  /** The scope being signed for, only during the synchronous start of a signer's `sign` (signingAs). */
  #signing: ScopeRun | undefined;

  /** A scope's requests can be signed from now until `forget`. */
  register(run: ScopeRun): void {
    run.id = String(++this.#nextId);
    this.#byId.set(run.id, run);
  }

  forget(run: ScopeRun): void {
    if (run.id !== undefined) this.#byId.delete(run.id);
  }

  /**
   * Gives the command an input object of its own (a shallow copy) bound to `run`: an input object
   * a caller reuses across commands of different scopes can never carry the wrong one.
   */
  bind(command: { input?: unknown }, run: ScopeRun): void {
    const input = { ...(command.input as object | undefined) };
    command.input = input;
    this.#byInput.set(input, run);
  }

  /**
   * The scope of a call, read by the client's first middleware from the input `bind` made (before
   * any middleware copies the input, as S3's SSE-C and checksum steps do), then carried on the
   * middleware's arguments, which every later step copies with a spread (ofArgs).
   */
  ofInput(input: unknown): ScopeRun | undefined {
    return typeof input === "object" && input !== null ? this.#byInput.get(input) : undefined;
  }

  /** The arguments of the next middleware, with the call's scope on them. */
  withScope<A extends object>(args: A, run: ScopeRun): A {
    return { ...args, [SCOPE_OF_ARGS]: run };
  }

  ofArgs(args: unknown): ScopeRun | undefined {
    return typeof args === "object" && args !== null
      ? (args as { [SCOPE_OF_ARGS]?: ScopeRun })[SCOPE_OF_ARGS]
      : undefined;
  }

  /**
   * Marks the HTTP request with its scope's id, in a header: a middleware may replace the request
   * object before it is signed (S3's GetObject does), but a copy keeps its headers. The signer takes
   * the header off before signing (ofRequest), so it never leaves the process.
   */
  stamp(request: unknown, run: ScopeRun): void {
    const headers = (request as { headers?: Record<string, string> } | undefined)?.headers;
    if (headers && run.id !== undefined) headers[SCOPE_HEADER] = run.id;
  }

  /** The request's scope, and the request without the scope's header, to be signed and sent. */
  ofRequest(request: unknown): { run: ScopeRun; request: unknown } | undefined {
    const headers = (request as { headers?: Record<string, string> } | undefined)?.headers;
    const run = headers ? this.#byId.get(headers[SCOPE_HEADER] ?? "") : undefined;
    if (!run || !headers) return undefined;
    const { [SCOPE_HEADER]: _, ...rest } = headers;
    // The same kind of object (an HttpRequest) with the other headers; the original is untouched,
    // so a retry of it is found again.
    const clean = Object.assign(Object.create(Object.getPrototypeOf(request)), request, { headers: rest });
    return { run, request: clean };
  }

  /**
   * Runs `sign` with `run` as the scope the shared credentials answer for. A SigV4 signer asks its
   * credential provider as the first step of `sign`, before anything is awaited, so it is asked
   * inside this window; nothing else can run in it (JavaScript runs one thing at a time). A signer
   * that asked later would find no scope and fail: never another scope's credentials.
   */
  signingAs<T>(run: ScopeRun, sign: () => T): T {
    this.#signing = run;
    try {
      return sign();
    } finally {
      this.#signing = undefined;
    }
  }

  /**
   * The shared clients' `credentials`: the scope being signed for. The SDK also resolves an
   * identity earlier, to keep in the command's middleware context — which `cacheMiddleware` shares
   * between concurrent requests, so orgwarden never lets it sign: it gets a placeholder that fails
   * loudly if anything reads its keys. Marked `memoized` so the SDK does not wrap it.
   */
  sharedCredentials(): AwsCredentialIdentityProvider {
    const refuse = (): never => {
      throw outsideScope("a request signed with the shared client's credentials");
    };
    const placeholder = Object.defineProperties({} as AwsCredentialIdentity, {
      accessKeyId: { get: refuse, enumerable: true },
      secretAccessKey: { get: refuse, enumerable: true },
    });
    const provider = async () => (this.#signing ? this.#signing.identity() : placeholder);
    return Object.assign(provider, { memoized: true });
  }
}

export function outsideScope(what: string): Error {
  return new Error(
    `orgwarden: ${what} was made outside the scope of an account (an SDK client used directly)`,
  );
}

/**
 * Replaces the client's signer factory: the SDK makes a new SigV4 signer for every request (a copy
 * of the whole client configuration each time). Here one signer is made per auth scheme (name,
 * signing service and region) for the client's life, and it signs each request as the request's
 * own scope (RequestScopes.signingAs).
 */
export function scopedSigners(client: unknown, scopes: RequestScopes): void {
  type AuthScheme = {
    name?: string;
    signingName?: string;
    signingRegion?: string;
    signingRegionSet?: string[];
  };
  const config = (client as { config: { signer?: (scheme?: AuthScheme) => Promise<RequestSigner> } }).config;
  const make = config.signer;
  if (typeof make !== "function") return;
  const made = new Map<string, Promise<RequestSigner>>();
  const base = (key: string, scheme: AuthScheme | undefined) => {
    let signer = made.get(key);
    if (!signer) {
      signer = make(scheme).then(withSigningKeysPerCredentials);
      made.set(key, signer);
      // A signer that could not be made is asked for again next time.
      signer.catch(() => made.delete(key));
    }
    return signer;
  };
  config.signer = async (scheme) => {
    const key = scheme
      ? `${scheme.name}|${scheme.signingName}|${scheme.signingRegion}|${scheme.signingRegionSet?.join(",")}`
      : "";
    const shared = await base(key, scheme);
    return {
      sign(request: unknown, options?: unknown) {
        const found = scopes.ofRequest(request);
        if (!found) return Promise.reject(outsideScope("a signed request"));
        return scopes.signingAs(found.run, () => shared.sign(found.request, options));
      },
    };
  };
}

/** What SigV4 derives a signing key from; the credentials object is the scope's own. */
type SigningKeyOf = (
  credentials: AwsCredentialIdentity,
  region: string,
  shortDate: string,
  service?: string,
) => Promise<Uint8Array>;

/**
 * Keeps each credentials' signing keys beside them. The SDK's signer keeps the last 50 in one
 * cache for the whole process, keyed by an HMAC of the secret that it computes on every request:
 * with 64 accounts in flight over five services every request missed it, and derived its key
 * again (five HMACs). Here the key is derived once per credentials, day, region and service, and
 * forgotten with the credentials (a WeakMap).
 */
function withSigningKeysPerCredentials(signer: RequestSigner): RequestSigner {
  const s = signer as RequestSigner & { getSigningKey?: SigningKeyOf };
  const derive = s.getSigningKey;
  if (typeof derive !== "function") return signer;
  const keys = new WeakMap<AwsCredentialIdentity, Map<string, Promise<Uint8Array>>>();
  s.getSigningKey = (credentials, region, shortDate, service) => {
    let own = keys.get(credentials);
    if (!own) {
      own = new Map();
      keys.set(credentials, own);
    }
    const key = `${shortDate}|${region}|${service ?? ""}`;
    let found = own.get(key);
    if (!found) {
      const made = derive.call(signer, credentials, region, shortDate, service);
      found = made;
      own.set(key, made);
      made.catch(() => own.delete(key));
    }
    return found;
  };
  return signer;
}
