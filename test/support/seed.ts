export {
  memberCredentials,
  nestedLayout,
  type OrgLayout,
  orgClient,
  type SeededAccount,
  type SeededOrg,
  seedOrganization,
} from "@orgwarden/cli/demo";
