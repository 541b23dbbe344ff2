/**
 * How full a target is for one policy type. "near" is defined here once: one slot left, so the next
 * policy of the type fills the target and the one after it is refused
 * (ConstraintViolationException, MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED).
 */
export const NEAR_QUOTA_SLOTS = 1;

export type SlotState = "full" | "near" | "ok";

export interface Slots {
  /** Policies of the type attached directly (inherited ones do not count). */
  attached: number;
  quota: number;
  /** Never below 0: a target over an assumed quota is full, and says so. */
  left: number;
  state: SlotState;
}

export function slotsOf(attached: number, quota: number): Slots {
  const left = Math.max(0, quota - attached);
  const state: SlotState = left === 0 ? "full" : left <= NEAR_QUOTA_SLOTS ? "near" : "ok";
  return { attached, quota, left, state };
}
