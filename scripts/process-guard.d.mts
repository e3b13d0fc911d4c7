export declare const UNHANDLED_REJECTION_EXIT: number;
export declare const CONFIG_ERROR_EXIT: number;
export declare function exitOnUnhandledRejection(name: string): void;
