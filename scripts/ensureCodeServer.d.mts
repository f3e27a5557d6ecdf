/** Types of ensureCodeServer.mjs (a plain Node script, imported by the integration harness). */
export declare const CODE_SERVER_DIR: string;
export declare const CODE_SERVER_BIN: string;
export declare function ensureIntegrationTools(): void;
