/**
 * The app tier on ECS Fargate: the FargateCluster component and its args, its nested parts, and the
 * names the program derives for it. The helpers beside it (service table, volumes, container
 * definitions, Service Connect, security rules, IAM documents) are this folder's own.
 */
export { FargateCluster, type FargateServiceOutputs } from "./fargateCluster";
export type { FargateClusterArgs, FargateDatabaseArgs, FargateSideloadArgs } from "./args";
export { EcsCluster, type EcsClusterArgs } from "./ecsCluster";
export { ContentVolumes, type ContentVolumesArgs } from "./contentVolumes";
export { SecurityGroups, type SecurityGroupsArgs } from "./securityGroups";
export { FargateService, type FargateServiceArgs } from "./fargateService";
export { RotationRedeploy, type RotationRedeployArgs } from "./rotation";
export { DASHBOARD_HEALTH_PATH, SERVICE_SPECS, stackScopedName } from "./services";
