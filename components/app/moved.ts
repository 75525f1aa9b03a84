import type * as pulumi from "@pulumi/pulumi";

/** The options of a nested component of the AppCluster: its parent, which its moved children had before. */
export type NestedOptions = pulumi.ComponentResourceOptions & { readonly parent: pulumi.Resource };

/**
 * Options for a child of `parent` that was created under `oldParent` before the nested component
 * existed: the alias keeps its deployed URN, so moving it in the code does not replace it.
 */
export function movedChild(parent: pulumi.Resource, oldParent: pulumi.Resource, extra: pulumi.CustomResourceOptions = {}): pulumi.CustomResourceOptions {
    return { ...extra, parent, aliases: [{ parent: oldParent }] };
}
