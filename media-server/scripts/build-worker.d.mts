export declare const MEDIASOUP_VERSION: string;
export declare function workerCacheDir(): string;
export declare function workerBinaryPath(): string;
export declare function ensureMediaPackages(): void;
export declare function ensureMediaWorker(): string;
export declare function ensureMediaToolchain(): string;
export declare const WORKER_BUILD_ID: string;
