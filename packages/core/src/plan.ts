/**
 * What every plan is, whatever it changes (SCPs, Config rules, root credentials): data made before
 * any write, which a person reads and a second step applies. Not applying it is the dry run.
 */
export interface Plan<Step> {
  /** The steps that write to AWS: 0 means there is nothing to apply. */
  changes: number;
  /** Every step in the order it is applied, with the ones that write nothing (unchanged, skipped). */
  steps: Step[];
  /** What a person should read before saying yes; empty when there is nothing to say. */
  notes: string[];
}
