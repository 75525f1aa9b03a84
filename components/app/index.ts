/**
 * The app tier: the AppCluster component (load balancer, server group, instance automation) and its args.
 * Helpers beside it (plans, user data, boot and refresh scripts) are this folder's own.
 */
export { AppCluster, TLS_POLICY, type AppClusterArgs, type AppDatabaseArgs, type AppSideloadArgs } from "./appCluster";
