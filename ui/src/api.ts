// The one door to the engine: typed wrappers over the generated bindings
// (bindings.ts, generated from the Rust commands). Each wrapper returns the
// data or throws an ApiError carrying the engine's {kind, message}.

import { Channel } from "@tauri-apps/api/core";
import {
  commands,
  events,
  type CommandError,
  type DropEvent,
  type FolderEvent,
  type PaperEdit,
  type Filter,
  type ImportProgress,
  type ImportReport,
  type FetchStep,
  type MeaningEvent,
  type ModelProgress,
  type SearchMode,
  type OnlineSettings_Serialize as OnlineSettings,
  type PdfSelection,
  type Status,
} from "./bindings";

// The highlight palette, (name, hex) pairs, as the engine defines it.
export { PALETTE } from "./bindings";

export type {
  Annotation,
  Applied,
  FetchStep,
  FetchSummary,
  OnlineSettings_Serialize as OnlineSettings,
  Backlink,
  DropEvent,
  FolderEvent,
  ForYouHit,
  MeaningEvent,
  MeaningStatus_Serialize as MeaningStatus,
  ModelOffer,
  SearchMode,
  PaperEdit,
  ExportReport,
  Facets,
  Filter,
  Graph,
  ImportProgress,
  ImportReport,
  LibraryInfo,
  MarkedText,
  Note,
  Paper,
  PaperRef,
  PdfAnnotationsRead,
  PdfInfo,
  PdfRect,
  PdfReplaced,
  PdfSelection,
  PossibleDuplicate,
  Related,
  RelatedHit,
  Relation,
  SearchHit,
  Status,
} from "./bindings";

export class ApiError extends Error {
  readonly kind: string;
  constructor(e: CommandError) {
    super(e.message);
    this.kind = e.kind;
    this.name = "ApiError";
  }
}

type Outcome<T> = { status: "ok"; data: T } | { status: "error"; error: CommandError };

/** Unwraps a command's outcome: the data, or an ApiError. */
export async function unwrap<T>(outcome: Promise<Outcome<T>>): Promise<T> {
  let r: Outcome<T>;
  try {
    r = await outcome;
  } catch (e) {
    // A failure of the bridge itself (not an engine error).
    throw new ApiError({ kind: "internal", message: e instanceof Error ? e.message : String(e) });
  }
  if (r.status === "ok") return r.data;
  throw new ApiError(r.error);
}

function progressChannel(onProgress: (p: ImportProgress) => void): Channel<ImportProgress> {
  const channel = new Channel<ImportProgress>();
  channel.onmessage = onProgress;
  return channel;
}

export const api = {
  libraryInfo: () => unwrap(commands.libraryInfo()),
  chooseLibrary: () => unwrap(commands.chooseLibrary()),
  search: (query: string, filter: Filter, limit: number) =>
    unwrap(commands.search(query, filter, limit)),
  paper: (key: string) => unwrap(commands.paper(key)),
  related: (key: string) => unwrap(commands.related(key)),
  relatedSentences: (key: string, others: string[]) => unwrap(commands.relatedSentences(key, others)),
  backlinks: (key: string) => unwrap(commands.backlinks(key)),
  complete: (prefix: string) => unwrap(commands.complete(prefix)),
  graph: (center: string | null) => unwrap(commands.graph(center)),
  addNote: (key: string, body: string) => unwrap(commands.addNote(key, body)),
  updateNote: (noteId: string, body: string) => unwrap(commands.updateNote(noteId, body)),
  deleteNote: (noteId: string) => unwrap(commands.deleteNote(noteId)),
  annotate: (key: string, start: number, end: number, color: string, comment: string | null) =>
    unwrap(commands.annotate(key, start, end, color, comment)),
  updateAnnotation: (id: string, color: string | null, comment: string | null) =>
    unwrap(commands.updateAnnotation(id, color, comment)),
  deleteAnnotation: (id: string) => unwrap(commands.deleteAnnotation(id)),
  link: (from: string, to: string, kind: string) => unwrap(commands.link(from, to, kind)),
  unlink: (a: string, b: string, kind: string | null) => unwrap(commands.unlink(a, b, kind)),
  tag: (key: string, tags: string[]) => unwrap(commands.tag(key, tags)),
  untag: (key: string, tags: string[]) => unwrap(commands.untag(key, tags)),
  setStatus: (key: string, status: Status) => unwrap(commands.setStatus(key, status)),
  setStarred: (key: string, starred: boolean) => unwrap(commands.setStarred(key, starred)),
  importText: (text: string, source: string, onProgress: (p: ImportProgress) => void): Promise<ImportReport> =>
    unwrap(commands.importText(text, source, progressChannel(onProgress))),
  importSample: (onProgress: (p: ImportProgress) => void): Promise<ImportReport> =>
    unwrap(commands.importSample(progressChannel(onProgress))),
  importFiles: (paths: string[], onProgress: (p: ImportProgress) => void): Promise<ImportReport> =>
    unwrap(commands.importFiles(paths, progressChannel(onProgress))),
  cancelImport: () => commands.cancelImport(),
  importHfDaily: (date: string | null, onProgress: (p: ImportProgress) => void): Promise<ImportReport> =>
    unwrap(commands.importHfDaily(date, progressChannel(onProgress))),
  /** Looks papers up on the web sources (`keys` empty: every paper
   * missing something), telling `onStep` about each paper as it is done. */
  fetchPapers: (keys: string[], pdf: boolean, dryRun: boolean, onStep: (s: FetchStep) => void) => {
    const channel = new Channel<FetchStep>();
    channel.onmessage = onStep;
    return unwrap(commands.fetchPapers(keys, pdf, dryRun, channel));
  },
  cancelFetch: () => commands.cancelFetch(),
  onlineSettings: () => unwrap(commands.onlineSettings()),
  setOnlineSettings: (s: OnlineSettings) => unwrap(commands.setOnlineSettings(s)),
  pickImportFiles: () => unwrap(commands.pickImportFiles()),
  pickFolder: (title: string) => unwrap(commands.pickFolder(title)),
  exportMarkdown: (dir: string, keys: string[] | null) => unwrap(commands.exportMarkdown(dir, keys)),
  openUrl: (url: string) => unwrap(commands.openUrl(url)),
  openAttachment: (path: string) => unwrap(commands.openAttachment(path)),
  onDrop: (cb: (e: DropEvent) => void) => events.dropEvent.listen((e) => cb(e.payload)),
  onFolder: (cb: (e: FolderEvent) => void) => events.folderEvent.listen((e) => cb(e.payload)),
  folderChanges: () => commands.folderChanges(),
  deletePaper: (key: string) => unwrap(commands.deletePaper(key)),
  editPaper: (key: string, edit: PaperEdit) => unwrap(commands.editPaper(key, edit)),
  possibleDuplicates: () => unwrap(commands.possibleDuplicates()),
  mergePapers: (keep: string, other: string) => unwrap(commands.mergePapers(keep, other)),
  preparePdf: (key: string, file: string | null) => unwrap(commands.preparePdf(key, file)),
  annotatePdf: (key: string, selection: PdfSelection, color: string, comment: string | null) =>
    unwrap(commands.annotatePdf(key, selection, color, comment)),
  replacePdf: (key: string, path: string | null) => unwrap(commands.replacePdf(key, path)),
  readPdfAnnotations: (key: string) => unwrap(commands.readPdfAnnotations(key)),
  savePdfWithHighlights: (key: string, suggested: string) => unwrap(commands.savePdfWithHighlights(key, suggested)),
  meaningStatus: () => unwrap(commands.meaningStatus()),
  forYou: (query: string | null, limit: number) => unwrap(commands.forYou(query, limit)),
  setSearchMode: (mode: SearchMode) => unwrap(commands.setSearchMode(mode)),
  modelOffer: () => commands.modelOffer(),
  /** Downloads the embedding model (after the person agreed), telling
   * `onProgress` the bytes so far. */
  fetchModel: (onProgress: (p: ModelProgress) => void) => {
    const channel = new Channel<ModelProgress>();
    channel.onmessage = onProgress;
    return unwrap(commands.fetchModel(channel));
  },
  placeModel: () => unwrap(commands.placeModel()),
  onMeaning: (cb: (e: MeaningEvent) => void) => events.meaningEvent.listen((e) => cb(e.payload)),
};

/** The address the reader's PDF view loads an attachment from (the
 * `attachment:` protocol serves only PDFs under the library's
 * `attachments/` folder). */
export function attachmentUrl(link: string): string {
  return `attachment://localhost/${link.split("/").map(encodeURIComponent).join("/")}`;
}
