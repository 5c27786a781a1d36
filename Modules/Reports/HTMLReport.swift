import Foundation

/// A builder of one self-contained HTML page that presents a run: configuration, tables, charts and
/// images, in the order they are added.
///
/// ```swift
/// var report = HTMLReport(title: "Assignment 1, λ = 0.1")
/// report.addKeyValues([("learning rate", "0.001"), ("epochs", "40")])
/// report.addSVG(costChart.svg(), caption: "Cost per epoch")
/// report.addImage(relativePath: "weights.png", caption: "Class templates")
/// try report.write(to: run.appendingPathComponent("report.html"))
/// ```
///
/// Charts are inlined, so the page needs no other file except the images it links (PNG files placed
/// next to it). All text is HTML-escaped; only the SVG passed to `addSVG` is inserted as markup, since
/// it is markup (made by `LineChart`, which escapes its own text).
public struct HTMLReport: Sendable {
    /// The page title, shown in the browser tab and as the first heading.
    public var title: String
    private var blocks: [Block] = []

    private enum Block: Sendable {
        case heading(String, level: Int)
        case paragraph(String)
        case table(headers: [String], rows: [[String]], numeric: [Bool], caption: String?, links: [String?],
                   highlighted: Set<Int> = [])
        case svg(String, caption: String?)
        case image(path: String, caption: String?, alt: String, tileLabels: [String])
        case keyValues([(String, String)])
        case preformatted(String)
    }

    public init(title: String) {
        self.title = title
    }

    // MARK: - Building

    /// A section heading; `level` 2 (the default) to 6, since level 1 is the page title.
    public mutating func addHeading(_ text: String, level: Int = 2) {
        blocks.append(.heading(text, level: min(6, max(2, level))))
    }

    /// A paragraph of plain text.
    public mutating func addParagraph(_ text: String) {
        blocks.append(.paragraph(text))
    }

    /// A table with the columns and rows of `table`; numeric columns are right-aligned.
    ///
    /// Numbers have one format per kind, chosen by the column's name: an accuracy (a name containing
    /// `accuracy`) as a percentage with two decimals (`38.71%`); a rate (`lambda`, `λ`, `eta`,
    /// `learning_rate`) in scientific notation with four significant digits (`2.100e-04`); others with
    /// `significantDigits` significant digits when given, otherwise in full as in the CSV file.
    /// A number that is not finite is shown as "diverged".
    ///
    /// - Parameters:
    ///   - table: the columns and rows to show.
    ///   - caption: a caption above the table, or nil.
    ///   - significantDigits: the significant digits of numbers that are neither accuracies nor rates.
    ///   - rowLinks: for each row, a relative address its first cell links to (such as the row's run
    ///     report), or nil; rows beyond the array have no link.
    public mutating func addTable(
        _ table: CSVTable, caption: String? = nil, significantDigits: Int? = nil, rowLinks: [String?] = []
    ) {
        let kinds = table.columns.map(NumberKind.init(column:))
        blocks.append(.table(
            headers: table.columns,
            rows: table.rows.map { row in
                zip(row, kinds).map { cell, kind in kind.text(of: cell, significantDigits: significantDigits) }
            },
            numeric: table.numericColumns, caption: caption, links: rowLinks))
    }

    /// A table of text cells; a row shorter than `headers` is padded with empty cells.
    ///
    /// - Parameters:
    ///   - headers: the column names.
    ///   - rows: the cells of each row.
    ///   - caption: a caption above the table, or nil.
    ///   - highlightedRows: the indices of rows to set off with a background (the CSS class
    ///     `highlight`), such as the settings that differ between runs compared.
    ///   - rowLinks: for each row, a relative address its first cell links to, or nil; rows beyond the
    ///     array have no link.
    public mutating func addTable(
        headers: [String], rows: [[String]], caption: String? = nil, highlightedRows: Set<Int> = [],
        rowLinks: [String?] = []
    ) {
        blocks.append(.table(headers: headers, rows: rows, numeric: headers.map { _ in false }, caption: caption,
                             links: rowLinks, highlighted: highlightedRows))
    }

    /// An inline SVG figure (such as `LineChart.svg()`), with an optional caption.
    ///
    /// An XML declaration or doctype before the `<svg` element is dropped: they are not allowed
    /// inside HTML.
    public mutating func addSVG(_ svg: String, caption: String? = nil) {
        let markup = svg.range(of: "<svg").map { String(svg[$0.lowerBound...]) } ?? svg
        blocks.append(.svg(markup, caption: caption))
    }

    /// An image file referenced by a path relative to the report (for example `weights.png`).
    ///
    /// - Parameters:
    ///   - relativePath: the image's path relative to the report's folder.
    ///   - caption: shown under the image, or nil.
    ///   - alt: the text read aloud or shown in the image's place (the caption, or the path, when nil).
    ///   - tileLabels: for an image of equal tiles in one row (such as `PNGImage.grid` of class
    ///     templates), the name of each tile, shown under it, left to right; empty for none.
    public mutating func addImage(
        relativePath: String, caption: String? = nil, alt: String? = nil, tileLabels: [String] = []
    ) {
        blocks.append(.image(path: relativePath, caption: caption, alt: alt ?? caption ?? relativePath, tileLabels: tileLabels))
    }

    /// A two-column list of names and values, such as the run's configuration.
    public mutating func addKeyValues(_ pairs: [(String, String)]) {
        blocks.append(.keyValues(pairs))
    }

    /// Text shown as is in a monospaced font, such as a configuration file or a log excerpt.
    public mutating func addPreformatted(_ text: String) {
        blocks.append(.preformatted(text))
    }

    // MARK: - Rendering

    /// The page as an HTML5 document.
    public func render() -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title.markupEscaped)</title>
            <style>
            \(Self.styleSheet)</style>
            </head>
            <body>
            <main>
            <h1>\(title.markupEscaped)</h1>

            """
        for block in blocks {
            html += Self.render(block)
        }
        html += "</main>\n</body>\n</html>\n"
        return html
    }

    /// Writes `render()` to `url` atomically, creating parent directories.
    ///
    /// - Throws: `ReportFileError.cannotWrite` naming the path.
    public func write(to url: URL) throws {
        try AtomicFile.write(render(), to: url)
    }

    private static func render(_ block: Block) -> String {
        switch block {
        case let .heading(text, level):
            return "<h\(level)>\(text.markupEscaped)</h\(level)>\n"
        case let .paragraph(text):
            return "<p>\(text.markupEscaped)</p>\n"
        case let .table(headers, rows, numeric, caption, links, highlighted):
            var html = "<div class=\"table-wrap\"><table>\n"
            if let caption { html += "<caption>\(caption.markupEscaped)</caption>\n" }
            // A column name may break after an underscore or a dot (`validation_<wbr>accuracy`,
            // `schedule.<wbr>eta_<wbr>max`), not inside a word.
            html += "<thead><tr>" + headers.map {
                "<th>\($0.markupEscaped.replacingOccurrences(of: "_", with: "_<wbr>").replacingOccurrences(of: ".", with: ".<wbr>"))</th>"
            }.joined() + "</tr></thead>\n<tbody>\n"
            for (index, row) in rows.enumerated() {
                let link = index < links.count ? links[index] : nil
                let cells = headers.indices.map { column -> String in
                    let text = column < row.count ? row[column] : ""
                    let alignment = column < numeric.count && numeric[column] ? " class=\"num\"" : ""
                    if column == 0, let link {
                        let address = link.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? link
                        return "<td\(alignment)><a href=\"\(address.markupEscaped)\">\(text.markupEscaped)</a></td>"
                    }
                    return "<td\(alignment)>\(text.markupEscaped)</td>"
                }
                html += (highlighted.contains(index) ? "<tr class=\"highlight\">" : "<tr>") + cells.joined() + "</tr>\n"
            }
            return html + "</tbody>\n</table></div>\n"
        case let .svg(markup, caption):
            return "<figure>\n\(markup)\n" + figureCaption(caption) + "</figure>\n"
        case let .image(path, caption, alt, tileLabels):
            let source = path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path
            let image = "<img src=\"\(source.markupEscaped)\" alt=\"\(alt.markupEscaped)\">\n"
            guard !tileLabels.isEmpty else { return "<figure>\n" + image + figureCaption(caption) + "</figure>\n" }
            // Equal columns as wide as the image, so that each name sits under its tile at any zoom.
            let labels = tileLabels.map { "<span>\($0.markupEscaped)</span>" }.joined()
            return "<figure>\n<div class=\"tiles\">\n" + image
                + "<div class=\"tile-labels\" style=\"grid-template-columns: repeat(\(tileLabels.count), 1fr)\">\(labels)</div>\n"
                + "</div>\n" + figureCaption(caption) + "</figure>\n"
        case let .keyValues(pairs):
            let rows = pairs.map { "<tr><th scope=\"row\">\($0.0.markupEscaped)</th><td>\($0.1.markupEscaped)</td></tr>\n" }
            return "<table class=\"key-values\">\n<tbody>\n" + rows.joined() + "</tbody>\n</table>\n"
        case let .preformatted(text):
            return "<pre>\(text.markupEscaped)</pre>\n"
        }
    }

    private static func figureCaption(_ caption: String?) -> String {
        caption.map { "<figcaption>\($0.markupEscaped)</figcaption>\n" } ?? ""
    }

    private static let styleSheet = """
        :root { color-scheme: light; }
        body { margin: 0; background: #fafafa; color: #222;
          font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; }
        main { max-width: 1000px; margin: 0 auto; padding: 24px 32px 48px; background: #fff; min-height: 100vh;
          box-sizing: border-box; }
        h1, h2, h3, h4, h5, h6, p, figcaption, caption { overflow-wrap: anywhere; }
        h1 { font-size: 1.7em; margin: 0.2em 0 0.6em; }
        h2 { font-size: 1.3em; margin-top: 1.8em; border-bottom: 1px solid #e3e3e3; padding-bottom: 0.2em; }
        h3, h4, h5, h6 { font-size: 1.05em; margin-top: 1.4em; }
        .table-wrap { overflow-x: auto; max-width: 100%; margin: 1em 0; }
        table { border-collapse: collapse; font-size: 0.92em; font-variant-numeric: tabular-nums; max-width: 100%; }
        caption { caption-side: top; text-align: left; font-weight: 600; padding-bottom: 0.3em; }
        th, td { border: 1px solid #d0d0d0; padding: 4px 6px; text-align: left; vertical-align: top;
          overflow-wrap: break-word; }
        thead th { overflow-wrap: normal; }
        td.num { white-space: nowrap; overflow-wrap: normal; }
        thead th { background: #f2f2f2; }
        td.num { text-align: right; }
        tr.highlight td { background: #fff4c2; }
        table.key-values th { background: #f7f7f7; font-weight: 600; }
        figure { margin: 1.2em 0; }
        figure svg, figure img { max-width: 100%; height: auto; }
        figure img { image-rendering: pixelated; border: 1px solid #e3e3e3; box-sizing: border-box; }
        .tiles { display: inline-block; max-width: 100%; }
        .tiles img { display: block; }
        .tile-labels { display: grid; font-size: 0.8em; text-align: center; color: #333; }
        .tile-labels span { overflow-wrap: anywhere; min-width: 0; }
        figcaption { color: #555; font-size: 0.9em; margin-top: 0.3em; }
        pre { background: #f6f6f6; border: 1px solid #e3e3e3; padding: 10px 12px; overflow-x: auto;
          white-space: pre-wrap; overflow-wrap: anywhere;
          font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }

        """
}
