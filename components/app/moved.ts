import * as pulumi from "@pulumi/pulumi";

/** The options of a nested component of the AppCluster: its parent, which its moved children had before. */
export type NestedOptions = pulumi.ComponentResourceOptions & { readonly parent: pulumi.Resource };

/**
 * A part of the AppCluster (LoadBalancer, ServerGroup) whose children were created under the AppCluster
 * itself before the part existed. They keep their names (`<prefix>-<role>`, the prefix being the
 * AppCluster's name) and get an alias to their old parent, so moving them in the code replaces nothing.
 */
export abstract class MovedChildren extends pulumi.ComponentResource {
    /** The AppCluster's name: the first part of every child's name. */
    protected readonly prefix: string;
    private readonly oldParent: pulumi.Resource;

    protected constructor(type: string, name: string, prefix: string, opts: NestedOptions) {
        super(type, name, {}, opts);
        this.prefix = prefix;
        this.oldParent = opts.parent;
    }

    /** Options of a child: parent `this`, and an alias to the URN it had as the AppCluster's child. */
    protected child(extra: pulumi.CustomResourceOptions = {}): pulumi.CustomResourceOptions {
        return { ...extra, parent: this, aliases: [{ parent: this.oldParent }] };
    }
}
