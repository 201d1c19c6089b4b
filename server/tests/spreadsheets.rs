//! Spreadsheets on both backends: the case list exported with its filters,
//! and legacy ledgers (台账) imported from CSV and XLSX: column guessing, the
//! dry run's row-by-row report, all-or-nothing, duplicates, 100,000 rows.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;
use common::*;

impl App {
    /// Upload a ledger as the import page's form does; the redirect target.
    async fn upload_ledger(&self, cookie: &str, name: &str, bytes: &[u8]) -> String {
        let (content_type, body) = multipart(&[], Some((name, bytes)));
        let req = Request::post("/cases/import/upload")
            .header(header::CONTENT_TYPE, content_type)
            .header(header::COOKIE, cookie)
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(body))
            .unwrap();
        let r = self.send(req).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        r.location().to_owned()
    }

    async fn import_id(&self, cookie: &str, name: &str, bytes: &[u8]) -> String {
        let to = self.upload_ledger(cookie, name, bytes).await;
        to.strip_prefix("/cases/import/")
            .unwrap_or_else(|| panic!("went to {to}"))
            .to_owned()
    }

    /// Check with the guessed columns (as the form sends them back).
    async fn check_as_guessed(&self, cookie: &str, id: &str, skip_duplicates: bool) -> Value {
        let view = self.json("imports/get", &[("id", id)], cookie).await;
        let mut form: Vec<(String, String)> = vec![("id".into(), id.into())];
        for f in view["fields"].as_array().unwrap() {
            let col = f["column"]
                .as_u64()
                .map(|c| c.to_string())
                .unwrap_or_default();
            form.push((format!("columns[{}]", f["key"].as_str().unwrap()), col));
        }
        if skip_duplicates {
            form.push(("skip_duplicates".into(), "on".into()));
        }
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let r = self.call("imports/check", &pairs, Some(cookie)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.json()
    }

    /// Run an import and wait (bounded, no sleeping) until it has ended.
    async fn run_to_end(&self, cookie: &str, id: &str) -> Value {
        let r = self.call("imports/run", &[("id", id)], Some(cookie)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        for _ in 0..200_000 {
            let view = self.json("imports/get", &[("id", id)], cookie).await;
            if view["status"] != "running" {
                return view;
            }
            tokio::task::yield_now().await;
        }
        panic!("the import did not end");
    }
}

const HEADER: &str =
    "序号,登记日期,所属网格,纠纷类型,纠纷概要,申请人,联系电话,被申请人,纠纷情况,地址";

#[tokio::test]
async fn the_case_list_exports_with_its_filters() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let (grid, code) = app.reported("k1").await;
        let area = app.me(&grid).await["area_id"].to_string();
        let mut other = intake("k2", &area);
        other.retain(|(k, _)| *k != "title");
        other.push(("title", "=HYPERLINK(\"x\") 邻居占用车位"));
        app.json("cases/report", &other, &grid).await;

        let r = app
            .get("/cases/export.csv?q=%E9%98%B3%E5%8F%B0", Some(&grid))
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/csv"));
        let lines: Vec<&str> = r.body.trim_start_matches('\u{feff}').lines().collect();
        assert_eq!(lines.len(), 2, "{}", r.body);
        assert!(lines[0].starts_with("案号,纠纷概要,状态"), "{}", lines[0]);
        assert!(
            lines[1].starts_with(&format!("{code},楼上住户在阳台养鸡扰民,已上报")),
            "{}",
            lines[1]
        );
        // All of them; a formula is defused.
        let r = app.get("/cases/export.csv", Some(&grid)).await;
        assert_eq!(r.body.lines().count(), 3);
        // The queue's export: open cases only.
        assert_eq!(
            app.get("/cases/export.csv?status=open", Some(&grid))
                .await
                .body
                .lines()
                .count(),
            3
        );
        let version = app.json("cases/get", &[("code", &code)], &grid).await["version"].to_string();
        let w = app
            .act_on(
                &grid,
                &code,
                &[
                    ("version", &version),
                    ("action", "withdraw"),
                    ("reason", "已自行和解"),
                ],
            )
            .await;
        assert_eq!(w.status, StatusCode::OK, "{}", w.body);
        assert_eq!(
            app.get("/cases/export.csv?status=open", Some(&grid))
                .await
                .body
                .lines()
                .count(),
            2
        );
        assert_eq!(
            app.json("cases", &[("status", "open")], &grid).await["total"],
            1
        );
        assert!(
            r.body.contains("\"'=HYPERLINK(\"\"x\"\") 邻居占用车位\""),
            "{}",
            r.body
        );

        let r = app
            .get("/cases/export.xlsx?status=reported", Some(&grid))
            .await;
        assert_eq!(r.status, StatusCode::OK);
        let res = app
            .bytes(
                Request::get("/cases/export.xlsx?status=reported")
                    .header(header::COOKIE, &grid)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        use calamine::Reader;
        let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(res)).unwrap();
        let sheet = book.worksheet_range_at(0).unwrap().unwrap();
        assert_eq!(sheet.rows().count(), 2);
        assert_eq!(sheet.get((0, 0)).unwrap().to_string(), "案号");

        assert_eq!(
            app.get("/cases/export.csv", None).await.status,
            StatusCode::UNAUTHORIZED
        );
    })
    .await;
}

#[tokio::test]
async fn a_sheet_that_would_fill_the_memory_is_refused_and_the_server_goes_on() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let grid = app.login("grid").await;
        // A few kilobytes: one cell in A1, one in XFD1048576. Read as a
        // bounding box this is 1.7e10 cells, and the process aborted.
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "日期").unwrap();
        sheet.write_string(1_048_575, 16_383, "x").unwrap();
        let bytes = book.save_to_buffer().unwrap();
        assert!(bytes.len() < 10_000, "{}", bytes.len());
        let before = app.count("select count(*) from imports").await;
        let to = app.upload_ledger(&grid, "台账.xlsx", &bytes).await;
        assert_eq!(to, "/cases/import?error=too_many_rows");
        let page = app.get(&to, Some(&grid)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("文件超过 200,000 行"),
            "the page says why"
        );
        // Wide instead of tall: refused for its columns, in English too.
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "date").unwrap();
        sheet.write_string(1, 16_383, "x").unwrap();
        let to = app
            .upload_ledger(&grid, "ledger.xlsx", &book.save_to_buffer().unwrap())
            .await;
        assert_eq!(to, "/cases/import?error=too_many_columns");
        let page = app.get(&to, Some(&grid)).await;
        assert!(page.body.contains("超过 64 列"), "the page says why");
        assert_eq!(app.count("select count(*) from imports").await, before);
        // And it is still serving everyone.
        let home = app.get("/", Some(&grid)).await;
        assert_eq!(home.status, StatusCode::OK);
    })
    .await;
}

#[tokio::test]
async fn a_malformed_ledger_gets_a_clear_report_and_changes_nothing() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let sup = app.login("supervisor").await;
        // Not a table at all.
        let to = app
            .upload_ledger(&sup, "ledger.csv", b"\x00\x01\x02PK nonsense\xff\xfe")
            .await;
        assert_eq!(to, "/cases/import?error=unreadable");
        let page = app.get(&to, Some(&sup)).await;
        assert!(page.body.contains("无法读取该文件"), "the page says why");
        let to = app
            .upload_ledger(&sup, "ledger.xlsx", b"PK\x03\x04 not really a workbook")
            .await;
        assert_eq!(to, "/cases/import?error=unreadable");
        let to = app
            .upload_ledger(&sup, "ledger.csv", HEADER.as_bytes())
            .await;
        assert_eq!(to, "/cases/import?error=empty");

        let rows = [
            HEADER,
            "1,2026-02-10,双桂花园三期第一网格,邻里,楼上漏水,张建华,13900001234,李桂芳,漏水,5栋",
            "2,2026-13-40,双桂花园三期第一网格,邻里,噪音,王明,,,,",
            "3,2026-02-11,不存在网格,邻里,噪音,王明,,,,",
            "4,2026-02-11,长兴社区第三网格,外星纠纷,噪音,王明,,,,",
            "5,2026-02-11,长兴社区第三网格,邻里,,王明,123,,,",
            "6,2026-02-10,双桂花园三期第一网格,邻里,楼上漏水,张建华,13900001234,李桂芳,漏水,5栋",
            "7,2099-01-01,长兴社区第三网格,邻里,未来的纠纷,赵六,,,,",
        ];
        let id = app
            .import_id(&sup, "台账.csv", rows.join("\r\n").as_bytes())
            .await;
        let view = app.json("imports/get", &[("id", &id)], &sup).await;
        assert_eq!(view["status"], "uploaded");
        assert_eq!(view["rows_total"], 7);
        let guessed: Vec<(String, Option<u64>)> = view["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["key"].as_str().unwrap().to_owned(), f["column"].as_u64()))
            .collect();
        for (key, col) in [
            ("reported_on", 1),
            ("area", 2),
            ("category", 3),
            ("title", 4),
            ("applicant_name", 5),
            ("applicant_phone", 6),
            ("respondent_name", 7),
            ("description", 8),
            ("address", 9),
        ] {
            assert!(
                guessed.contains(&(key.to_owned(), Some(col))),
                "{key}: {guessed:?}"
            );
        }

        let report = app.check_as_guessed(&sup, &id, false).await;
        let problems: Vec<(i64, String, String)> = report["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["row"].as_i64().unwrap(),
                    p["field"].as_str().unwrap().to_owned(),
                    p["msg"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        assert_eq!(
            problems,
            [
                (3, "reported_on".to_owned(), "ErrImportDate".to_owned()),
                (4, "area".to_owned(), "ErrImportArea".to_owned()),
                (5, "category".to_owned(), "ErrImportCategory".to_owned()),
                (6, "title".to_owned(), "ErrTitleEmpty".to_owned()),
                (
                    6,
                    "applicant_phone".to_owned(),
                    "ErrPhoneInvalid".to_owned()
                ),
                (7, "title".to_owned(), "ErrImportDuplicateInFile".to_owned()),
                (
                    8,
                    "reported_on".to_owned(),
                    "ErrImportDateFuture".to_owned()
                ),
            ]
        );
        assert_eq!(
            (
                report["rows"].as_i64(),
                report["ok"].as_i64(),
                report["duplicates"].as_i64()
            ),
            (Some(7), Some(1), Some(1))
        );
        // The page shows the report row by row.
        let page = app.get(&format!("/cases/import/{id}"), Some(&sup)).await;
        assert!(
            page.body.contains("没有这个纠纷类型。"),
            "{}",
            page.body.len()
        );
        // Not clean: it cannot run, and nothing was written.
        let r = app.call("imports/run", &[("id", &id)], Some(&sup)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        assert_eq!(app.count("select count(*) from cases").await, 0);
        // A required field without a column is named.
        let r = app
            .call(
                "imports/check",
                &[("id", &id), ("columns[title]", "")],
                Some(&sup),
            )
            .await;
        let unmapped: Vec<String> = r.json()["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["field"].as_str().unwrap().to_owned())
            .collect();
        assert!(
            unmapped.contains(&"title".to_owned()) && unmapped.contains(&"area".to_owned()),
            "{}",
            r.body
        );
        // Someone else's import is not there for them.
        let other = app.login("mediator").await;
        let r = app.call("imports/get", &[("id", &id)], Some(&other)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert_eq!(app.count("select count(*) from cases").await, 0);
    })
    .await;
}

#[tokio::test]
async fn a_clean_ledger_becomes_cases_all_at_once_and_is_not_taken_twice() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let sup = app.login("supervisor").await;
        let rows = [
            HEADER,
            "1,2026年2月10日,双桂花园三期第一网格,邻里,楼上漏水,张建华,139 0000 1234,李桂芳,楼上卫生间漏水到楼下,5栋",
            "2,2026/2/11,长兴社区第三网格,婚姻家庭,赡养纠纷,王明,,,,",
            "3,2026-02-12,白家社区第二网格,合同,装修款纠纷,赵丽,,钱工头,,",
        ];
        // Saved by a Chinese spreadsheet program: GB18030, not UTF-8.
        let text = rows.join("\r\n");
        let (gbk, _, _) = encoding_rs::GB18030.encode(&text);
        let id = app.import_id(&sup, "东升街道台账.csv", &gbk).await;
        let report = app.check_as_guessed(&sup, &id, false).await;
        assert_eq!((report["ok"].as_i64(), report["problems_total"].as_i64()), (Some(3), Some(0)), "{report}");
        let view = app.run_to_end(&sup, &id).await;
        assert_eq!(view["status"], "done", "{view}");
        assert_eq!(view["cases_made"], 3);
        // Its cases have their last day at the grid tier (and so their colour) at once.
        assert_eq!(
            app.count("select count(*) from cases where tier_due_on is not null").await,
            3
        );

        let list = app.json("cases", &[("q", "楼上漏水")], &sup).await;
        let code = list["rows"][0]["code"].as_str().unwrap().to_owned();
        let case = app.json("cases/get", &[("code", &code)], &sup).await;
        assert_eq!(case["status"], "reported");
        assert_eq!(case["source"], "ledger_import");
        assert_eq!(case["area_name"], "双桂花园三期第一网格");
        assert_eq!(case["category"]["zh"], "邻里");
        assert_eq!(case["parties"][0]["name"], "张建华");
        assert_eq!(case["parties"][0]["phone_masked"], "139****1234");
        assert_eq!(case["parties"][1]["name"], "李桂芳");
        assert!(case["reported_at"].as_str().unwrap().starts_with("2026-02-10"));
        assert_eq!(case["timeline"][0]["kind"], "reported");
        // The grid worker sees it in their queue, like any report.
        let grid = app.login("grid").await;
        let home = app.json("cases/home", &[], &grid).await;
        assert_eq!(home["queue_total"], 1);
        assert_eq!(app.count("select count(*) from audit_log where action = 'import.publish'").await, 1);
        // Found by search (the index was filled too).
        assert_eq!(app.json("cases", &[("q", "钱工头")], &sup).await["total"], 1);

        // The same ledger again: every row is a duplicate of a case here.
        let again = app.import_id(&sup, "东升街道台账.csv", &gbk).await;
        let report = app.check_as_guessed(&sup, &again, false).await;
        assert_eq!((report["ok"].as_i64(), report["duplicates"].as_i64(), report["problems_total"].as_i64()), (Some(0), Some(3), Some(3)));
        assert_eq!(report["problems"][0]["msg"], "ErrImportDuplicateExisting");
        let report = app.check_as_guessed(&sup, &again, true).await;
        assert_eq!((report["ok"].as_i64(), report["problems_total"].as_i64()), (Some(0), Some(0)));
        let r = app.call("imports/run", &[("id", &again)], Some(&sup)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "nothing to import");
        assert_eq!(app.count("select count(*) from cases").await, 3);
        // A done import cannot run again.
        let r = app.call("imports/run", &[("id", &id)], Some(&sup)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);

        // The duplicate check confirms no name its importer may not read.
        // Whole, the applicant counts: another applicant is another case.
        let ledger = |applicant: &str| {
            format!("{HEADER}\r\n1,2026-02-10,双桂花园三期第一网格,邻里,楼上漏水,{applicant},,,,").into_bytes()
        };
        let duplicates = |who: String, applicant: &'static str| {
            let app = &app;
            let file = ledger(applicant);
            async move {
                let id = app.import_id(&who, "台账.csv", &file).await;
                app.check_as_guessed(&who, &id, false).await["duplicates"].as_i64()
            }
        };
        assert_eq!(duplicates(grid.clone(), "张建华").await, Some(1));
        assert_eq!(duplicates(grid.clone(), "王明").await, Some(0));
        // Gone up the ladder, the grid worker reads it as a summary: the
        // same summary on the same day in the same grid is a duplicate
        // whoever the applicant, so the answer says nothing of the name.
        let version = app.json("cases/get", &[("code", &code)], &grid).await["version"].to_string();
        let r = app
            .act_on(&grid, &code, &[("version", &version), ("action", "escalate"), ("why", "beyond_competence")])
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(duplicates(grid.clone(), "张建华").await, Some(1));
        assert_eq!(duplicates(grid.clone(), "王明").await, Some(1));
        // Its supervisor still reads it whole.
        assert_eq!(duplicates(sup.clone(), "王明").await, Some(0));
    })
    .await;
}

#[tokio::test]
async fn an_xlsx_ledger_with_real_dates_imports() {
    testing::each_backend(|db| async move {
        let app = App::new(db).await;
        let sup = app.login("supervisor").await;
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for (c, h) in ["日期", "网格", "类别", "事由", "当事人"]
            .iter()
            .enumerate()
        {
            sheet
                .write_string(0, u16::try_from(c).unwrap(), *h)
                .unwrap();
        }
        let day = rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 1, 20).unwrap();
        let format = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
        sheet
            .write_datetime_with_format(1, 0, &day, &format)
            .unwrap();
        sheet.write_string(1, 1, "白家社区第一网格").unwrap();
        sheet.write_string(1, 2, "neighbours").unwrap();
        sheet.write_string(1, 3, "共用楼道堆放杂物").unwrap();
        sheet.write_string(1, 4, "周强").unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let id = app.import_id(&sup, "台账.xlsx", &bytes).await;
        let report = app.check_as_guessed(&sup, &id, false).await;
        assert_eq!(
            (report["ok"].as_i64(), report["problems_total"].as_i64()),
            (Some(1), Some(0)),
            "{report}"
        );
        assert_eq!(app.run_to_end(&sup, &id).await["status"], "done");
        let list = app.json("cases", &[("q", "共用楼道")], &sup).await;
        assert_eq!(list["total"], 1);
        assert!(list["rows"][0]["reported_at"]
            .as_str()
            .unwrap()
            .starts_with("2026-01-20"));
    })
    .await;
}

#[tokio::test]
async fn a_hundred_thousand_row_ledger_imports() {
    testing::each_backend(|db| async move {
        // The test asks for the import's progress as fast as it can, where
        // the page asks every few seconds: no rate limit for it.
        let app = App::with_config(db, |c| c.api_rate_per_minute = u32::MAX).await;
        let sup = app.login("supervisor").await;
        let grids = [
            "双桂花园三期第一网格",
            "双桂花园三期第二网格",
            "长兴社区第三网格",
            "白家社区第一网格",
            "白家社区第二网格",
        ];
        let mut text = String::from(HEADER);
        for i in 0..100_000u32 {
            let day = 1 + i % 28;
            text.push_str(&format!(
                "\r\n{i},2026-02-{day:02},{},邻里,纠纷第{i}号,当事人{i},,,,",
                grids[(i % 5) as usize]
            ));
        }
        let id = app.import_id(&sup, "大台账.csv", text.as_bytes()).await;
        let report = app.check_as_guessed(&sup, &id, false).await;
        assert_eq!(
            (report["ok"].as_i64(), report["problems_total"].as_i64()),
            (Some(100_000), Some(0))
        );
        let view = app.run_to_end(&sup, &id).await;
        assert_eq!(view["status"], "done", "{view}");
        assert_eq!(view["cases_made"], 100_000);
        assert_eq!(
            app.count("select count(*) from cases where source = 'ledger_import'")
                .await,
            100_000
        );
        assert_eq!(
            app.count("select count(*) from case_parties").await,
            100_000
        );
        assert_eq!(
            app.count("select count(distinct code) from cases").await,
            100_000
        );
        assert_eq!(app.count("select count(*) from import_rows").await, 0);
        // The per-area open counts the queue reads were kept by the triggers.
        assert_eq!(
            app.count("select cast(coalesce(sum(n), 0) as bigint) from open_case_counts")
                .await,
            100_000
        );
    })
    .await;
}
