"""The ribbon's buttons: control id (as in macros/customUI.xml) → the Chinese name of the action.

The VBA callback passes the clicked control's id to xlreport.excel.dispatch.run(id); adding a
button means adding it here, in the dispatcher and in customUI.xml, never in the VBA.
"""

BUTTONS = {
    "validate": "校验",
    "fill": "填充合计",
    "draft": "生成初稿",
    "build": "生成报告",
    "clear_marks": "清除标记",
    "new_year": "新建下一年度",
}
