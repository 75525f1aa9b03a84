/**
 * The config types, inferred from the zod schema in config/validate.ts (each key's meaning is its
 * schema's description, which the editor schema shows too): declared once, never by hand.
 */
import type { DeepReadonly, StackOutput } from "./validate";

export { ENVIRONMENTS, NAT_GATEWAYS, type Environment, type NatGateways } from "./profiles";

/** The whole, fully defaulted stack configuration. */
export type DashboardConfig = DeepReadonly<StackOutput>;

/** A VPC created by the program, or one that exists already (the program only places resources into its subnets). */
export type NetworkConfig = DashboardConfig["network"];
export type NewNetworkConfig = Extract<NetworkConfig, { mode: "new" }>;
export type ExistingNetworkConfig = Extract<NetworkConfig, { mode: "existing" }>;

/** The `dashboard:database` section, fully defaulted: what the Database component (components/database/) builds. */
export type DatabaseConfig = DashboardConfig["database"];
/** Point-in-time restore of another instance into this stack's database. */
export type RestoreToPointInTime = NonNullable<DatabaseConfig["restoreToPointInTime"]>;

export type AppConfig = DashboardConfig["app"];
export type ContainerConfig = NonNullable<AppConfig["container"]>;
/** Where the app servers' boot script writes the database credentials and licence. */
export type EnvFileConfig = AppConfig["envFile"];

export type DomainConfig = NonNullable<DashboardConfig["domain"]>;
export type IngressConfig = DashboardConfig["ingress"];
export type SideloadConfig = DashboardConfig["sideload"];
export type AlertsConfig = NonNullable<DashboardConfig["alerts"]>;
export type StatusPageConfig = DashboardConfig["statusPage"];
