import { loadConfig } from "./config";

// Validate the whole stack config before anything is registered.
export const config = loadConfig();
