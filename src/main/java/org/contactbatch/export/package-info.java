/**
 * The export job: the contacts people select, to CSV or XLSX, ready to edit and bring back through the re-import
 * by ID: the id and version columns come first, so an edited sheet can come back and a stale row is told
 * from a fresh one.
 *
 * <p>A row's way: {@link org.contactbatch.export.ExportPrepareTasklet} decides the plan once ({@code export_run});
 * {@link org.contactbatch.export.ExportRowsTasklet} spools the selected contacts in slices, each a PostgreSQL
 * {@code COPY} through {@link org.contactbatch.export.CopyCsvWriter} (formula guard, CRLF); and
 * {@link org.contactbatch.export.ExportFinishTasklet} makes the workbook when asked
 * ({@link org.contactbatch.export.XlsxTableWriter}) and moves the file into place. The command line is
 * {@code cli.ExportCommand}; {@link org.contactbatch.export.ExportRequests} makes the same command continue an
 * interrupted export.
 */
package org.contactbatch.export;
