"""`psychoed serve`'s machinery: the web server (`server`), one preview session (`session`),
the PDFs rendered after the pages (`pdfs`) and the error page (`error_page`)."""
