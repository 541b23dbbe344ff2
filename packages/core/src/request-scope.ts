import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";

/** Who the requests of one client view act as. */
export interface ScopeRun {
  /** A stable key: an account id, or "operator". */
  scope: string;
  identity: AwsCredentialIdentityProvider;
}

/** What the SDK asks of a SigV4 signer for a request. */
interface RequestSigner {
  sign(request: unknown, options?: unknown): Promise<unknown>;
}

/**
 * Finds the scope of a request made through a shared SDK client, without AsyncLocalStorage (whose
 * promise hooks cost every promise of the process, about a sixth of orgwarden's CPU per request).
 * A view's `send` binds the command's input to the view's scope (`bind`); the shared client's
 * middleware finds it from the input (`ofInput`) and, right before signing, ties the HTTP request to
 * it (`stamp`), which the signer then reads (`ofRequest`). Both maps are weak: nothing outlives the
 * request. A request whose scope cannot be found fails loudly, never signs as another scope.
 */
export class RequestScopes {
  readonly #byInput = new WeakMap<object, ScopeRun>();
  readonly #byRequest = new WeakMap<object, ScopeRun>();
  /** The scope being signed for, only during the synchronous start of a signer's `sign` (signingAs). */
  #signing: ScopeRun | undefined;

  /**
   * Gives the command an input object of its own (a shallow copy) bound to `run`: an input object
   * a caller reuses across commands of different scopes can never carry the wrong one.
   */
  bind(command: { input?: unknown }, run: ScopeRun): void {
    const input = { ...(command.input as object | undefined) };
    command.input = input;
    this.#byInput.set(input, run);
  }

  ofInput(input: unknown): ScopeRun | undefined {
    return typeof input === "object" && input !== null ? this.#byInput.get(input) : undefined;
  }

  stamp(request: unknown, run: ScopeRun): void {
    if (typeof request === "object" && request !== null) this.#byRequest.set(request, run);
  }

  ofRequest(request: unknown): ScopeRun | undefined {
    return typeof request === "object" && request !== null ? this.#byRequest.get(request) : undefined;
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
      signer = make(scheme);
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
        const run = scopes.ofRequest(request);
        if (!run) return Promise.reject(outsideScope("a signed request"));
        return scopes.signingAs(run, () => shared.sign(request, options));
      },
    };
  };
}
