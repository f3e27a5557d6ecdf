/** Types of ensureCodeServer.mjs (a plain Node script, imported by the integration harness). */
export declare const CODE_SERVER_DIR: string;
export declare const CODE_SERVER_BIN: string;
export declare function ensureIntegrationTools(): void;
export declare function ensureCodeServerOnly(): void;
export declare function have(cmd: string): boolean;
export declare function codeServerArgs(o: {
  port: number;
  extensionsDir: string;
  userDataDir: string;
  folder: string;
  restricted?: boolean;
}): string[];
