"""The published layout of the RS-system CSV files flowviz reads: columns by name, with types.

Every file shares the first columns (:data:`COMMON`); each kind is recognised by a signature
column and read by header name, so a reordered file reads the same.
"""

from __future__ import annotations

#: columns every file shares (some files spell two of them differently)
COMMON = {
    "sheet_kind": ("シート種別",),
    "year": ("事業年度",),
    "project_id": ("予算事業ID",),
    "project_name": ("事業名",),
    "ministry_order": ("府省庁の建制順", "建制順"),
    "policy_ministry": ("政策所管府省庁", "所管府省庁"),
    "ministry": ("府省庁",),
    "bureau": ("局・庁",),
    "department": ("部",),
    "division": ("課",),
    "office": ("室",),
}

# kind → (label, signature column, {field: (header names, type)})
KINDS: dict[str, tuple[str, str, dict[str, tuple[tuple[str, ...], str]]]] = {
    "1-1": (
        "基本情報_組織情報",
        "作成責任者",
        {"responsible": (("作成責任者",), "text")},
    ),
    "2-1": (
        "予算・執行_サマリ",
        "予算年度",
        {
            "budget_year": (("予算年度",), "int"),
            "initial": (("当初予算（合計）",), "yen"),
            "supplementary": (("補正予算（合計）",), "yen"),
            "carried_in": (("前年度からの繰越し（合計）",), "yen"),
            "reserve": (("予備費等（合計）",), "yen"),
            "total": (("計（歳出予算現額合計）",), "yen"),
            "executed": (("執行額（合計）",), "yen"),
            "execution_rate": (("執行率",), "decimal"),
            "carried_over": (("翌年度への繰越し(合計）", "翌年度への繰越し（合計）"), "yen"),
            "next_request": (("翌年度要求額（合計）",), "yen"),
            "account": (("会計区分",), "text"),
            "account_name": (("会計",), "text"),
            "account_initial": (("当初予算",), "yen"),
            "account_total": (("歳出予算現額",), "yen"),
            "account_executed": (("執行額",), "yen"),
        },
    ),
    "5-1": (
        "支出先_支出情報",
        "ブロックの合計支出額",
        {
            "block": (("支出先ブロック番号",), "text"),
            "block_name": (("支出先ブロック名",), "text"),
            "payee_count": (("支出先の数",), "int"),
            "role": (("事業を行う上での役割",), "text"),
            "block_total": (("ブロックの合計支出額",), "yen"),
            "payee": (("支出先名",), "text"),
            "corporate_number": (("法人番号",), "corpnum"),
            "location": (("所在地",), "text"),
            "corp_kind": (("法人種別",), "text"),
            "others": (("その他支出先",), "bool"),
            "payee_total": (("支出先の合計支出額",), "yen"),
            "contract_summary": (("契約概要",), "text"),
            "amount": (("金額",), "yen"),
            "method": (("契約方式等",), "text"),
            "method_detail": (("具体的な契約方式等",), "text"),
            "bidders": (("入札者数",), "int"),
            "award_rate": (("落札率",), "decimal"),
            "reason": (
                (
                    "一者応札・一者応募又は競争性のない随意契約となった理由及び改善策（支出額10億円以上）",
                ),
                "text",
            ),
            "other_contracts": (("その他の契約",), "text"),
        },
    ),
    "5-2": (
        "支出先_支出ブロックのつながり",
        "支出元の支出先ブロック",
        {
            "from_block": (("支出元の支出先ブロック",), "text"),
            "from_name": (("支出元の支出先ブロック名",), "text"),
            "from_ministry": (("担当組織からの支出",), "bool"),
            "to_block": (("支出先の支出先ブロック",), "text"),
            "to_name": (("支出先の支出先ブロック名",), "text"),
            "link_type": (("資金の流れの補足情報",), "text"),
            "overhead": (("国自らが支出する間接経費",), "text"),
            "overhead_item": (("国自らが支出する間接経費の項目",), "text"),
            "overhead_amount": (("国自らが支出する間接経費の金額",), "yen"),
        },
    ),
    "5-3": (
        "支出先_費目・使途",
        "使途",
        {
            "block": (("支出先ブロック番号",), "text"),
            "payee": (("支出先名",), "text"),
            "corporate_number": (("法人番号",), "corpnum"),
            "contract_summary": (("契約概要",), "text"),
            "expense_item": (("費目",), "text"),
            "purpose": (("使途",), "text"),
            "amount": (("金額",), "yen"),
        },
    ),
    "5-4": (
        "支出先_国庫債務負担行為等による契約",
        "契約先名（国庫債務負担行為等による契約）",
        {
            "block": (("支出先ブロック（国庫債務負担行為等による契約）",), "text"),
            "payee": (("契約先名（国庫債務負担行為等による契約）",), "text"),
            "corporate_number": (("契約先の法人番号（国庫債務負担行為等による契約）",), "corpnum"),
            "location": (("契約先の所在地（国庫債務負担行為等による契約）",), "text"),
            "corp_kind": (("契約先の法人種別（国庫債務負担行為等による契約）",), "text"),
            "contract_summary": (("契約概要（契約名）（国庫債務負担行為等による契約）",), "text"),
            "amount": (("契約額（国庫債務負担行為等による契約）",), "yen"),
            "method": (("契約方式等（国庫債務負担行為等による契約）",), "text"),
            "method_detail": (("具体的な契約方式等（国庫債務負担行為等による契約）",), "text"),
            "bidders": (("入札者数（応募者数）（国庫債務負担行為等による契約）",), "int"),
            "award_rate": (("落札率（％）（国庫債務負担行為等による契約）",), "decimal"),
            "reason": (
                (
                    "一者応札・一者応募又は競争性のない随意契約となった理由及び改善策（契約額10億円以上）（国庫債務負担行為等による契約）",
                ),
                "text",
            ),
        },
    ),
}

#: published columns flowviz does not read (seen in the FY2024 files and the FY2025 5-1 layout):
#: any other header is reported by the import, so a renamed or new column is not missed silently
UNREAD = {
    "*": ("班", "係"),
    "1-1": (
        "その他担当組織_作成責任者_no",
        "府省庁（その他担当組織）",
        "局・庁（その他担当組織）",
        "部（その他担当組織）",
        "課（その他担当組織）",
        "室（その他担当組織）",
        "班（その他担当組織）",
        "係（その他担当組織）",
    ),
    "2-1": (
        "主な増減理由",
        "その他特記事項",
        "勘定",
        *(f"第{n}次補正予算" for n in range(1, 6)),
        "前年度から繰越し",
        *(f"予備費等{n}" for n in range(1, 5)),
        "翌年度要求額",
        "要望額",
        "備考",
    ),
    "5-4": ("その他の契約", "その他の契約（国庫債務負担行為等による契約）"),
}
