//! The fleet as HTML (a page with sortable columns and the findings behind each cell), as
//! markdown (a pull-request comment) and as JSON (the input of the next `--since`).

use super::{Finding, Fleet, Service};
use crate::Error;
use serde::Serialize;

const HTML: &str = include_str!("../../templates/report.html");
const MARKDOWN: &str = include_str!("../../templates/report.md");
const STYLE: &str = include_str!("../../templates/report.css");
const SCRIPT: &str = include_str!("../../templates/report.js");

/// Findings listed per service and group in the HTML; the rest are counted, so the page of
/// a large, drifting monorepo stays small (`paved lint` on the service lists them all).
const FINDINGS_PER_CELL: usize = 25;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Markdown,
    Json,
}

pub fn render(fleet: &Fleet, format: Format) -> Result<String, Error> {
    match format {
        Format::Json => Ok(serde_json::to_string_pretty(fleet).expect("a fleet serializes") + "\n"),
        Format::Html => with_tera("report.html", HTML, fleet),
        Format::Markdown => with_tera("report.md", MARKDOWN, fleet),
    }
}

#[derive(Serialize)]
struct GroupFindings<'a> {
    group: &'a str,
    anchor: String,
    shown: Vec<&'a Finding>,
    more: usize,
}

/// A cell with the anchor of its findings ("" when it has none).
#[derive(Serialize)]
struct CellView<'a> {
    cell: &'a super::Cell,
    total: usize,
    link: String,
}

#[derive(Serialize)]
struct Row<'a> {
    service: &'a Service,
    anchor: String,
    /// `red`, `amber` or `green`: the worst cell.
    status: &'static str,
    cells: Vec<CellView<'a>>,
    groups: Vec<GroupFindings<'a>>,
}

#[derive(Serialize)]
struct Totals {
    services: usize,
    red: usize,
    amber: usize,
    green: usize,
    deny: usize,
    warn: usize,
    outdated: usize,
    new: usize,
    fixed: usize,
}

#[derive(Serialize)]
struct Page<'a> {
    fleet: &'a Fleet,
    rows: Vec<Row<'a>>,
    totals: Totals,
    style: &'static str,
    script: &'static str,
}

fn with_tera(name: &str, template: &str, fleet: &Fleet) -> Result<String, Error> {
    let rows: Vec<Row> = fleet
        .services
        .iter()
        .enumerate()
        .map(|(i, s)| row(i, s))
        .collect();
    let totals = Totals {
        services: rows.len(),
        red: rows.iter().filter(|r| r.status == "red").count(),
        amber: rows.iter().filter(|r| r.status == "amber").count(),
        green: rows.iter().filter(|r| r.status == "green").count(),
        deny: fleet.services.iter().map(|s| s.deny).sum(),
        warn: fleet.services.iter().map(|s| s.warn).sum(),
        outdated: fleet
            .services
            .iter()
            .filter(|s| s.template.status == "outdated")
            .count(),
        new: fleet
            .services
            .iter()
            .filter_map(|s| s.trend.as_ref())
            .map(|t| t.new)
            .sum(),
        fixed: fleet
            .services
            .iter()
            .filter_map(|s| s.trend.as_ref())
            .map(|t| t.fixed)
            .sum(),
    };
    let page = Page {
        fleet,
        rows,
        totals,
        style: STYLE,
        script: SCRIPT,
    };
    let tera = crate::tera(&[(name, template)], "the report")?;
    let context =
        tera::Context::from_serialize(&page).map_err(|e| crate::render_error("the report", &e))?;
    tera.render(name, &context)
        .map_err(|e| crate::render_error("the report", &e))
}

fn row(index: usize, service: &Service) -> Row<'_> {
    let anchor = format!("s{index}");
    let status = if service.deny > 0 {
        "red"
    } else if service.warn > 0 {
        "amber"
    } else {
        "green"
    };
    let mut cells = Vec::new();
    let mut groups = Vec::new();
    for cell in &service.cells {
        let n = cell.deny + cell.warn;
        if n == 0 {
            cells.push(CellView {
                cell,
                total: 0,
                link: String::new(),
            });
            continue;
        }
        let group_anchor = format!("{anchor}-{}", cell.group);
        cells.push(CellView {
            cell,
            total: n,
            link: group_anchor.clone(),
        });
        let shown: Vec<&Finding> = service
            .findings
            .iter()
            .filter(|f| f.group == cell.group)
            .take(FINDINGS_PER_CELL)
            .collect();
        groups.push(GroupFindings {
            group: &cell.group,
            anchor: group_anchor,
            more: n - shown.len(),
            shown,
        });
    }
    Row {
        service,
        anchor,
        status,
        cells,
        groups,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Cell, Others, TemplateStatus};

    fn fleet(name: &str, findings: usize) -> Fleet {
        let finding = |i: usize| Finding {
            rule: "print-logging".into(),
            group: "logging".into(),
            level: "deny".into(),
            path: format!("svc/src/f{i}.rs"),
            line: 1,
            column: 1,
            message: "`println!` <writes>".into(),
            fingerprint: format!("{i}:1"),
        };
        Fleet {
            schema: 1,
            paved_version: "0".into(),
            root: "repo".into(),
            templates: Default::default(),
            groups: vec!["logging".into()],
            services: vec![Service {
                name: name.into(),
                path: "svc".into(),
                role: "service".into(),
                owners: vec![],
                template: TemplateStatus {
                    recorded: None,
                    status: "none".into(),
                },
                cells: vec![Cell {
                    group: "logging".into(),
                    deny: findings,
                    warn: 0,
                    status: "red".into(),
                }],
                deny: findings,
                warn: 0,
                findings: (0..findings).map(finding).collect(),
                trend: None,
            }],
            others: Others::default(),
            compared: false,
        }
    }

    #[test]
    fn html_escapes_names_and_messages() {
        let html = render(&fleet("<script>alert(1)</script>", 1), Format::Html).unwrap();
        assert!(!html.contains("<script>alert"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;")
                || html.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
        );
        assert!(html.contains("&lt;writes&gt;"));
    }

    #[test]
    fn a_cell_lists_at_most_its_limit_and_counts_the_rest() {
        let html = render(&fleet("svc", FINDINGS_PER_CELL + 3), Format::Html).unwrap();
        assert_eq!(
            html.matches("<li class=\"deny\">").count(),
            FINDINGS_PER_CELL
        );
        assert!(html.contains("and 3 more"), "{html}");
    }
}
