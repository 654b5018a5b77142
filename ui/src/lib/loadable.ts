//! The three states of anything fetched from the backend.
import type { AppError } from "./bindings/AppError";

export type Loadable<T> =
  | { status: "loading" }
  | { status: "ok"; value: T }
  | { status: "error"; error: AppError };

export const loading = <T>(): Loadable<T> => ({ status: "loading" });
export const loaded = <T>(value: T): Loadable<T> => ({ status: "ok", value });
export const failed = <T>(error: AppError): Loadable<T> => ({ status: "error", error });
