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
    "help": "帮助",
}

# What does each button's work without Excel (WPS, Linux); None where the command line has no such step.
COMMAND_LINE = {
    "validate": "xlreport check 年报.xlsx",
    "fill": "xlreport fill 年报.xlsx",
    "draft": "xlreport draft 年报.xlsx",
    "build": "xlreport build 年报.xlsx -o 输出文件夹",
    "clear_marks": None,  # the command line lists findings and never marks cells
    "new_year": "xlreport next 年报.xlsx -o 下一年度.xlsx",
    "help": "xlreport doctor",
}
