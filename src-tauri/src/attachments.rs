//! The `attachment:` protocol: the reader's PDF viewer loads a paper's PDF
//! from `attachment://localhost/attachments/<citekey>/<file>.pdf`. Only
//! PDFs inside the open library's `attachments/` folder are served (the
//! engine's `Library::attachment_pdf_path` decides); anything else is a
//! 403 or 404 with a one-line reason. The file is read on a worker thread,
//! outside the library's lock.

use std::borrow::Cow;

use tauri::http::{Request, Response, StatusCode, header};
use tauri::{Runtime, UriSchemeContext, UriSchemeResponder};

use crate::state::State;

/// The protocol's name, as the UI's URLs spell it.
pub const SCHEME: &str = "attachment";

/// Answers one request on a thread of its own.
pub fn serve<R: Runtime>(
    state: State,
) -> impl Fn(UriSchemeContext<'_, R>, Request<Vec<u8>>, UriSchemeResponder) + Send + Sync + 'static
{
    move |_context, request, responder| {
        let state = state.clone();
        std::thread::spawn(move || responder.respond(answer(&state, &request)));
    }
}

fn answer(state: &State, request: &Request<Vec<u8>>) -> Response<Cow<'static, [u8]>> {
    let relative = lectern::paths::key_from_file_stem(request.uri().path().trim_start_matches('/'));
    let path = match state.with(move |lib| lib.attachment_pdf_path(&relative)) {
        Ok(path) => path,
        Err(e) => return refusal(StatusCode::FORBIDDEN, &e.message),
    };
    match std::fs::read(&path) {
        Ok(bytes) => Response::builder()
            .status(StatusCode::OK)
            .header(header::CONTENT_TYPE, "application/pdf")
            .header(header::ACCESS_CONTROL_ALLOW_ORIGIN, "*")
            .header(header::CACHE_CONTROL, "no-store")
            .body(Cow::Owned(bytes))
            .unwrap_or_else(|_| Response::new(Cow::Borrowed(&[][..]))),
        Err(e) => refusal(StatusCode::NOT_FOUND, &format!("{}: {e}", path.display())),
    }
}

fn refusal(status: StatusCode, message: &str) -> Response<Cow<'static, [u8]>> {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
        .header(header::ACCESS_CONTROL_ALLOW_ORIGIN, "*")
        .body(Cow::Owned(message.as_bytes().to_vec()))
        .unwrap_or_else(|_| Response::new(Cow::Borrowed(&[][..])))
}
