"""What every table, view and column of the store means, in Japanese and English, with the
caveats that apply to its figures and the canned queries Datasette offers. Data only: the
metadata is assembled in :mod:`flowviz.store.datasette` from the store's own layout."""

from __future__ import annotations

from typing import Any

from flowviz.store.metadata import NON_COMPETITIVE

#: caveat → (Japanese, English), shown on the pages of the tables whose figures they concern
CAVEATS = {
    "money_year": (
        "金額の年度: RSの事業年度（year）のシートは前年度の執行を載せる（flow_year = year − 1）。"
        "旧様式シートの支出先は flow_year の支出。予算は budget_year の年度。",
        "Money year: an RS sheet of year Y reports spending of fiscal year Y − 1 (flow_year);"
        " old-format payees carry their own flow_year; budgets are per budget_year.",
    ),
    "partial_53": (
        "5-3 は一部のみ: 5-1（支出情報）がない年度は、各ブロックの主な支出先だけが載る。"
        "組織ごとの合計は公表分の合計であり、受け取った全額ではない。",
        "5-3 is partial: without 5-1 a year lists only the main payees of each block; an"
        " organisation's total is what is listed, not all it received.",
    ),
    "suspect": (
        "疑わしい数値: 公表どおりに格納（例: 50兆円超、事業の執行額の100倍超）。flowviz の payees・payee・"
        "contracts はこれらを合計から除き、理由を示す（FV011）。ここでの合計はそれらを含む。",
        "Suspect figures are stored as published (over 50 trillion yen, 100× the project's"
        " execution, …); flowviz payees/payee/contracts leave them out of totals with the reason"
        " (FV011); sums on this page include them.",
    ),
    "suspect_apart": (
        "疑わしい数値（FV011: 事業の執行額の100倍超、50兆円超など）は amount_yen に含めず、"
        "suspect_yen・suspect_rows に分けて合計する。",
        "Suspect figures (FV011: over 100 times the project's execution, over 50 trillion yen, …)"
        " are not in amount_yen: they are summed apart in suspect_yen and suspect_rows.",
    ),
    "no_route": (
        "旧様式シートは支出先を並べるだけで、誰が誰に支払ったかは公表されていない。"
        "グループをすべて足すと再委託分を二重に数える。",
        "Old-format sheets list payees side by side; who paid whom is not published, and"
        " summing every group counts re-delegated money twice.",
    ),
    "contract_value": (
        "契約額は支払額ではない（国庫債務負担行為等による複数年度の契約の総額）。",
        "A contract value is not a payment (the whole value of a multi-year contract).",
    ),
    "unknown": (
        "空欄（NULL）は不明であり、0円ではない。",
        "An empty cell (NULL) is unknown, never 0 yen.",
    ),
}

SOURCES = {
    "RS": (
        "行政事業レビュー見える化サイト (RSシステム) オープンデータ",
        "https://rssystem.go.jp/",
        "公共データ利用規約 第1.0版 (PDL1.0)",
        "https://www.digital.go.jp/resources/open_data/public_data_license_v1.0",
    ),
    "JUDGIT": (
        "JUDGIT! / 構想日本 (行政事業レビューシート主要事項データベース)",
        "https://judgit.net/",
        "CC BY 4.0",
        "https://creativecommons.org/licenses/by/4.0/",
    ),
}
_SPEND = ("money_year", "suspect", "unknown")
#: table → (Japanese, English, source, caveats)
TABLES: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "projects": ("RSの事業（シート年度ごと）", "RS projects, one row per sheet year", "RS", ()),
    "budgets": (
        "2-1 予算・執行サマリ（事業・予算年度ごと）",
        "2-1 budget and execution per project and budget year",
        "RS",
        ("money_year", "unknown"),
    ),
    "block_links": (
        "5-2 支出ブロックのつながり（金額なし）",
        "5-2 who pays which block (no amounts)",
        "RS",
        (),
    ),
    "payments": (
        "5-1 支出情報: ブロック・支出先・契約の行",
        "5-1 block, payee and contract rows",
        "RS",
        _SPEND,
    ),
    "expenses": (
        "5-3 費目・使途: 支出先ごとの金額（負の値は控除・返還）",
        "5-3 amounts per payee (negative: deductions, returns)",
        "RS",
        ("partial_53", *_SPEND),
    ),
    "contracts": (
        "5-4 国庫債務負担行為等による契約",
        "5-4 multi-year contracts: contract values, not payments",
        "RS",
        ("contract_value", "suspect", "unknown"),
    ),
    "sheets": (
        "旧様式のレビューシート（2015–2023）",
        "Old-format review sheets 2015–2023",
        "JUDGIT",
        (),
    ),
    "sheet_budgets": (
        "旧様式シートの予算（円）",
        "Old-format budget rows, in yen",
        "JUDGIT",
        ("money_year", "unknown"),
    ),
    "sheet_payees": (
        "旧様式シートの支出先（円、公表は百万円）",
        "Old-format payee rows, in yen (published in millions)",
        "JUDGIT",
        ("no_route", *_SPEND),
    ),
    "sheet_links": (
        "関連する過去のレビューシート",
        "Links to past sheets of the same project",
        "JUDGIT",
        (),
    ),
    "sheet_adjustments": (
        "円の整数でない公表値と、採った円",
        "Published figures that are not whole yen, and the yen taken",
        "JUDGIT",
        (),
    ),
    "imports": ("取り込んだファイル", "What was imported, from which file, when", "", ()),
    "corp_kind_codes": ("法人種別コード", "法人種別 codes (301 → 株式会社 …)", "", ()),
    "payee_names": (
        "支出先名の索引（表記ゆれをたたんだ名前）",
        "Index of payee names (folded spelling) for search",
        "",
        (),
    ),
    "identity_links": (
        "同じ組織の法人番号のつながり（番号の付け替え、根拠つき）",
        "Links between 法人番号 that are one organisation (renumberings, with evidence)",
        "",
        (),
    ),
    "registry": (
        "国税庁 法人番号公表サイトの登録情報（取り込んだ番号のみ）",
        "National Tax Agency corporate number registry (the store's numbers only)",
        "",
        (),
    ),
    "non_competitive_contracts": (
        "ビュー: 競争性のない随意契約・一者応札の5-4契約",
        "View: 5-4 contracts awarded without competition or to one bidder",
        "RS",
        ("contract_value", "suspect"),
    ),
    "project_depths": (
        "取り込み時に計算: 府省庁から最も遠いブロックまでの段数（5-2）",
        "Computed at import: hops from the ministry to the farthest block (5-2)",
        "RS",
        (),
    ),
    "payee_totals_by_year": (
        "取り込み時に計算: 組織・支出年度・府省庁ごとの公表支出額（RS 5-3 と旧様式）",
        "Computed at import: listed payments per organisation, flow year and ministry"
        " (RS 5-3 and old-format)",
        "",
        ("partial_53", "no_route", "money_year", "suspect_apart", "unknown"),
    ),
}

#: column → (Japanese, English); ("", column) for every table, (table, column) where it differs
COLUMNS: dict[tuple[str, str], tuple[str, str]] = {
    ("", "year"): ("シート年度（事業年度・公開年度）", "sheet year (of the review sheet)"),
    ("", "project_id"): ("予算事業ID", "RS project id"),
    ("", "line"): ("公表CSV・NDJSONの行番号", "line in the published file"),
    ("", "name"): ("名称", "name"),
    ("", "ministry"): ("府省庁", "ministry"),
    ("", "ministry_order"): ("府省庁の建制順", "official order of ministries"),
    ("", "policy_ministry"): ("政策所管府省庁", "ministry in charge of the policy"),
    ("", "bureau"): ("局・庁", "bureau"),
    ("", "department"): ("部", "department"),
    ("", "division"): ("課", "division"),
    ("", "office"): ("室", "office"),
    ("", "responsible"): ("作成責任者", "official responsible for the sheet"),
    ("", "budget_year"): ("予算年度", "budget year"),
    ("", "initial"): ("当初予算", "initial budget"),
    ("", "supplementary"): ("補正予算", "supplementary budget"),
    ("", "carried_in"): ("前年度からの繰越し", "carried in from the previous year"),
    ("", "reserve"): ("予備費等", "reserve funds"),
    ("", "total"): ("予算計（歳出予算現額）", "total budget"),
    ("", "executed"): ("執行額", "amount executed"),
    ("", "execution_rate"): ("執行率（割合、0.34 = 34%）", "execution rate (fraction)"),
    ("", "carried_over"): ("翌年度への繰越し", "carried over to the next year"),
    ("", "next_request"): ("翌年度要求額", "request for the next year"),
    ("", "request"): ("要求額", "budget request"),
    ("", "account"): ("会計区分", "account type"),
    ("", "account_name"): ("会計", "account"),
    ("", "account_initial"): ("当初予算（会計別）", "initial budget of the account"),
    ("", "account_total"): ("歳出予算現額（会計別）", "total budget of the account"),
    ("", "account_executed"): ("執行額（会計別）", "amount executed from the account"),
    ("", "from_block"): ("支出元のブロック（空欄: 府省庁）", "paying block (empty: the ministry)"),
    ("", "from_name"): ("支出元のブロック名", "paying block's name"),
    ("", "from_ministry"): (
        "担当組織からの支出（1: 府省庁が直接支払う）",
        "paid by the ministry (1)",
    ),
    ("", "to_block"): ("支出先のブロック", "receiving block"),
    ("", "to_name"): ("支出先のブロック名", "receiving block's name"),
    ("", "link_type"): (
        "資金の流れの補足情報（委託・補助等）",
        "kind of link (contract, grant, …)",
    ),
    ("", "overhead"): ("国自らが支出する間接経費", "the ministry's own overheads"),
    ("", "overhead_item"): ("間接経費の項目", "overhead item"),
    ("", "overhead_amount"): ("間接経費の金額", "overhead amount"),
    ("", "block"): ("支出先ブロック", "block (A, B, …)"),
    ("", "block_name"): ("ブロック名", "block name"),
    ("", "payee_count"): ("支出先の数", "number of payees"),
    ("", "role"): ("事業を行う上での役割", "role in the project"),
    ("", "block_total"): ("ブロックの合計支出額", "block's total spending"),
    ("", "payee"): ("支出先名", "payee"),
    ("", "corporate_number"): ("法人番号（13桁、文字列）", "corporate number (13 digits, text)"),
    ("", "location"): ("所在地", "address"),
    ("", "corp_kind"): ("法人種別コード（corp_kind_codes）", "kind of corporation (code)"),
    ("", "others"): ("その他支出先（1: 多数の少額支出先をまとめた行）", "bundled small payees (1)"),
    ("", "payee_total"): ("支出先の合計支出額", "payee's total"),
    ("", "contract_summary"): ("契約概要", "contract summary"),
    ("", "amount"): ("金額", "amount"),
    ("", "method"): ("契約方式等", "contracting method"),
    ("", "method_detail"): ("具体的な契約方式等", "contracting method in detail"),
    ("", "bidders"): ("入札者数（応募者数）", "number of bidders"),
    ("", "award_rate"): ("落札率（%）", "award rate (percent)"),
    ("", "reason"): ("一者応札・随意契約となった理由及び改善策", "reason for no competition"),
    ("", "other_contracts"): ("その他の契約", "other contracts"),
    ("", "expense_item"): ("費目", "expense item"),
    ("", "purpose"): ("使途", "use"),
    ("", "sheet_key"): ("シートの鍵（年度:府省庁:事業番号）", "sheet key (year:ministry:number)"),
    ("", "judgit_id"): ("JUDGIT! のシートID", "JUDGIT! sheet id"),
    ("", "project_uid"): (
        "JUDGIT! の事業ID（年度をまたぐ同じ事業）",
        "JUDGIT! project id across years",
    ),
    ("", "number"): ("事業番号", "project number of that year"),
    ("", "start_year"): ("事業開始年度", "start year"),
    ("", "end_year"): ("事業終了（予定）年度", "end year"),
    ("", "url"): ("府省庁が公表したシートのPDF", "the ministry's PDF of the sheet"),
    ("", "file"): ("取り込んだファイル", "file imported"),
    ("", "flow_year"): ("支出年度", "flow year: the fiscal year the money was spent"),
    ("", "grp"): ("グループ（シートのブロック）", "group (the sheet's block)"),
    ("", "rank"): ("グループ内の順位（上位10のみ公表）", "rank in the group (top 10 only)"),
    ("", "summary"): ("業務概要", "work summary"),
    ("", "amount_text"): ("公表された金額（百万円）", "amount as published (millions of yen)"),
    ("", "past_year"): ("過去のシートの年度", "past sheet's year"),
    ("", "past_ministry"): ("過去のシートの府省庁", "past sheet's ministry"),
    ("", "past_number"): ("過去のシートの事業番号", "past sheet's number"),
    ("", "place"): ("シート内の場所", "place in the sheet"),
    ("", "published"): ("公表された値", "figure as published"),
    ("", "yen"): ("採った円", "yen taken"),
    ("", "kind"): ("ファイルの種類（5-3 など）", "file kind (5-3, …)"),
    ("", "rows"): ("行数", "rows"),
    ("", "imported_at"): ("取り込み日時（UTC）", "when imported (UTC)"),
    ("", "code"): ("法人種別コード", "code"),
    ("", "stem"): ("たたんだ名前（検索用）", "folded name (for search)"),
    ("", "first_year"): ("初出のシート年度", "first sheet year"),
    ("", "last_year"): ("最後のシート年度", "last sheet year"),
    ("", "depth"): ("府省庁から最も遠いブロックまでの段数", "hops to the farthest block"),
    ("", "amount_yen"): ("公表支出額の合計", "sum of listed payments"),
    ("", "contract_value_yen"): ("契約額（支払額ではない）", "contract value (not a payment)"),
    ("", "source"): ("出典（RS 5-3 / old-format）", "source of the rows"),
    ("", "project"): ("事業名", "project name"),
    ("payee_names", "identity"): (
        "1: 法人番号が組織を示す（有効・登録済み）",
        "1: the number names one organisation (valid, registered)",
    ),
    ("identity_links", "same_as"): (
        "同じ組織の法人番号",
        "the number it is the same organisation as",
    ),
    ("identity_links", "first_year"): ("つながりが有効な最初の年度", "first year the link covers"),
    ("identity_links", "last_year"): ("つながりが有効な最後の年度", "last year the link covers"),
    ("identity_links", "source"): ("根拠", "evidence"),
    ("identity_links", "note"): ("注記", "note"),
    ("registry", "registered"): ("登録されている（1）", "registered (1)"),
    ("registry", "name"): ("商号又は名称", "registered name"),
    ("registry", "en_name"): ("英語表記", "English name"),
    ("registry", "furigana"): ("フリガナ", "reading"),
    ("registry", "kind"): ("法人種別", "kind of corporation"),
    ("registry", "address"): ("所在地", "address"),
    ("registry", "close_date"): ("登記記録の閉鎖等年月日", "closing date"),
    ("registry", "close_cause"): ("登記記録の閉鎖等の事由", "closing cause"),
    ("registry", "successor"): ("承継先法人番号", "successor's number"),
    ("registry", "update_date"): ("更新年月日", "updated"),
    ("registry", "source"): ("取り込んだファイル", "file imported"),
    ("contracts", "amount"): ("契約額（支払額ではない）", "contract value (not a payment)"),
    ("expenses", "amount"): ("金額（5-3）", "amount (5-3)"),
    ("sheet_payees", "amount"): (
        "支出額（公表の百万円から円に換算）",
        "amount, converted from millions",
    ),
    ("sheet_payees", "year"): ("公開年度", "sheet year (published)"),
    ("sheets", "year"): ("公開年度", "sheet year (published)"),
    ("sheets", "line"): ("NDJSONの行番号", "line in the NDJSON file"),
    ("imports", "year"): ("シート年度", "sheet year"),
    ("payee_names", "name"): ("公表された支出先名", "payee name as published"),
    ("payee_names", "rows"): ("その名前・法人番号の行数", "rows with this name and number"),
    ("corp_kind_codes", "name"): ("法人種別", "kind of corporation"),
    ("payee_totals_by_year", "rows"): (
        "合計した行数（疑わしい数値を除く）",
        "rows summed (suspect apart)",
    ),
    ("payee_totals_by_year", "amount_yen"): (
        "公表支出額の合計（疑わしい数値を除く）",
        "sum of listed payments (suspect figures apart)",
    ),
    ("", "suspect_yen"): ("疑わしい数値の合計（FV011）", "sum of suspect figures (FV011)"),
    ("", "suspect_rows"): ("疑わしい数値の行数", "rows with a suspect figure"),
    ("imports", "rows"): ("取り込んだ行数", "rows imported"),
    ("sheets", "name"): ("事業名", "project name"),
    ("projects", "name"): ("事業名", "project name"),
}

#: canned queries: what a journalist asks first, answered from indexed tables within 1 s
QUERIES: dict[str, dict[str, Any]] = {
    "money_to_an_organisation": {
        "title": "組織への公表支出額（年度・府省庁別） / Listed payments to an organisation",
        "description": "法人番号で探す（例: 7010701007922）。疑わしい数値は suspect_yen に分ける。"
        " / By corporate number; suspect figures apart in suspect_yen.",
        "sql": "SELECT flow_year, ministry, source, payee, amount_yen, rows, suspect_yen"
        " FROM payee_totals_by_year WHERE corporate_number = :corporate_number"
        " ORDER BY flow_year, amount_yen DESC",
    },
    "non_competitive_contracts_of_a_ministry": {
        "title": "府省庁の競争性のない契約（契約額順） / A ministry's non-competitive contracts",
        "description": "府省庁名を正確に（例: 総務省）。契約額は支払額ではない。"
        " / Exact ministry name; contract values are not payments.",
        "sql": "SELECT year, project_id, project, payee, corporate_number, contract_value_yen,"
        " method, bidders, award_rate, reason FROM non_competitive_contracts"
        " WHERE ministry = :ministry ORDER BY contract_value_yen DESC LIMIT 200",
    },
    "large_awards_without_a_reason": {
        "title": "理由が公表されていない10億円以上の随意契約・一者応札 / Large non-competitive"
        " awards that publish no reason (FV010)",
        "description": "シート年度を指定（例: 2024）。疑わしい数値も含む（flowviz contracts --reason-missing"
        " は除く）。 / Sheet year; includes suspect figures (flowviz contracts --reason-missing"
        " leaves them out).",
        "sql": "SELECT c.year, c.project_id, p.name AS project, p.ministry, c.payee,"
        " c.corporate_number, c.amount AS contract_value_yen, c.method, c.bidders, c.award_rate"
        " FROM contracts c LEFT JOIN projects p ON p.year = c.year AND p.project_id = c.project_id"
        " WHERE c.year = :year AND (" + NON_COMPETITIVE.format(t="c") + ")"
        " AND c.amount >= 1000000000 AND TRIM(COALESCE(c.reason, '')) = ''"
        " ORDER BY c.amount DESC",
    },
    "contracts_listed_in_several_projects": {
        "title": "複数の事業に載る同じ契約 / One contract listed under several projects",
        "description": "同じ契約先・契約額・契約概要。合計では一度だけ数える。"
        " / Same contractor, value and summary: count it once in a total.",
        "sql": "SELECT year, MIN(payee) AS payee, corporate_number, amount AS contract_value_yen,"
        " contract_summary, COUNT(DISTINCT project_id) AS projects,"
        " GROUP_CONCAT(DISTINCT project_id) AS project_ids FROM contracts"
        " WHERE amount IS NOT NULL AND (payee != '' OR corporate_number != '')"
        " GROUP BY year, COALESCE(NULLIF(corporate_number, ''), payee), amount,"
        " TRIM(COALESCE(contract_summary, ''))"
        " HAVING COUNT(DISTINCT project_id) > 1 ORDER BY amount DESC",
    },
}
