// DSCP classes of a slice's QoS (KubeSlice's HTB bandwidth control): the one list the
// server's rules validate against, the bundles carry and the console offers.
export const DSCP_CLASSES = ["Default", "AF11", "AF12", "AF13", "AF21", "AF22", "AF23", "AF31", "AF32", "AF33", "AF41", "AF42", "AF43", "EF"] as const;
export type DscpClass = (typeof DSCP_CLASSES)[number];
