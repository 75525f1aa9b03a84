/**
 * The app tier: the AppCluster component (its LoadBalancer and ServerGroup, the instance automation) and
 * its args. The helpers beside it (plans, launch template, user data, boot and refresh scripts) are this
 * folder's own, but for the rotation's event pattern and the events role's trust policy, which the
 * Fargate platform's rotation shares.
 */
export { AppCluster } from "./appCluster";
export { eventsTrustPolicy, rotationEventPattern } from "./instanceAutomationPlan";
export type { AppClusterArgs, AppDatabaseArgs, AppSideloadArgs, AppTierArgs } from "./args";
export { LoadBalancer, TLS_POLICY, type LoadBalancerArgs } from "./loadBalancer";
export { ServerGroup, type ServerGroupArgs } from "./serverGroup";
