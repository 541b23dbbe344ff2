/** An AWS region name, e.g. us-east-1, eu-central-2, us-gov-west-1: one rule for every option and config field. */
export const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d$/;

export function isRegionName(value: string): boolean {
  return REGION_NAME.test(value);
}
