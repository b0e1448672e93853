// Loads pdf.js on first use and sets it up for Lectern's web view. The
// worker is a file bundled with the app (CSP `worker-src 'self'`), never a
// blob. Fonts that a PDF names without embedding them, CJK character maps and
// the JavaScript image decoders (JPEG 2000, JBIG2) are bundled under
// `pdfjs/` by vite.config.ts and fetched from the app itself. WebAssembly is
// off (`useWasm: false`): pdf.js then uses its JavaScript decoders and needs
// no `'wasm-unsafe-eval'`; pdf.js 6 has no eval path left at all. Fonts
// reach the page as `FontFace` objects built from bytes, which the CSP does
// not restrict.

import type * as PdfJs from "pdfjs-dist";
import type { DocumentInitParameters } from "pdfjs-dist/types/src/display/api";
import workerUrl from "pdfjs-dist/build/pdf.worker.min.mjs?url";

export type PdfJsModule = typeof PdfJs;

let loading: Promise<PdfJsModule> | null = null;

/** pdf.js itself, loaded once as a separate chunk so that the app starts without it. */
export function loadPdfjs(): Promise<PdfJsModule> {
  loading ??= import("pdfjs-dist").then((m) => {
    m.GlobalWorkerOptions.workerSrc = new URL(workerUrl, document.baseURI).href;
    return m;
  });
  return loading;
}

function assetDir(name: string): string {
  return new URL(`${import.meta.env.BASE_URL}pdfjs/${name}/`, document.baseURI).href;
}

/** getDocument parameters for bytes already in memory. */
export function documentParams(data: Uint8Array): DocumentInitParameters {
  return {
    data,
    cMapUrl: assetDir("cmaps"),
    cMapPacked: true,
    standardFontDataUrl: assetDir("standard_fonts"),
    wasmUrl: assetDir("wasm"),
    useWasm: false,
    // The same path in every web view: bundled data is read by the page (CSP
    // connect-src 'self'), whether or not the app is served over http.
    useWorkerFetch: false,
    enableXfa: false,
    stopAtErrors: false,
    verbosity: 0,
  };
}
