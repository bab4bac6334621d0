// The shape of a node-kind declaration. One file per kind in this folder declares one of these.
import type { z } from 'zod';

export type NodeCategory = 'flow' | 'action' | 'wait' | 'human' | 'ai';

export interface NodeKindSpec<Config extends z.ZodObject = z.ZodObject> {
  kind: string;
  label: string;
  description: string;
  /** A lucide icon name, drawn by the canvas and the palette. */
  icon: string;
  category: NodeCategory;
  config: Config;
  /** The config of a freshly dropped node. */
  defaults: z.input<Config>;
  /** Output ports, in the order the canvas draws their handles. */
  ports: readonly string[];
  /** Ports that may carry several edges (parallel's `branches`); every other port has at most one. */
  multiPorts?: readonly string[];
  /** Ports that may stay unconnected: taking one without an edge fails the run with its error. */
  failurePorts?: readonly string[];
  /** Kinds that end a path and so need no outgoing edge. */
  terminal?: boolean;
  /** A run passes through at once, never waiting here (the runs list offers no 'waiting at' filter for it). */
  passThrough?: boolean;
  /** A wait a third party may end by POSTing to its callback URL (`callbacks.<nodeId>.url`). */
  callbackTarget?: boolean;
}

/** A kind's config as its handler sees it: parsed by the kind's own schema, defaults filled in. */
export type ConfigOf<Spec extends NodeKindSpec> = z.output<Spec['config']>;

export function defineNodeKind<Config extends z.ZodObject>(spec: NodeKindSpec<Config>): NodeKindSpec<Config> {
  return spec;
}
