"""Makes the HR workbook fixture with openpyxl (Debian's python3-openpyxl), independent of the module: a merged title
row above the header, ID numbers as text, one stored as a number (as Excel destroys them), a photo file named relative
to the workbook, and two empty trailing rows."""
import sys
from openpyxl import Workbook

path = sys.argv[1]
book = Workbook()
sheet = book.active
sheet.title = "入职"
sheet.append(["2026年入职员工名单"])
sheet.merge_cells("A1:E1")
sheet.append(["工号", "员工姓名", "公民身份号码", "部门", "照片文件"])
sheet.append(["E1001", "李测试", "110101196301230411", "财务部", "card.jpg"])
sheet.append(["E1002", "王样本", 110101196105206748, "信息部", "card.png"])
sheet.append(["E1003", "赵示例", "110101198601126543", "销售部", "card.jpg"])
sheet.append([])
sheet.append([None, None, None, None, None])
second = book.create_sheet("其他")
second.append(["Name", "Note"])
second.append(["x", "second sheet"])
book.save(path)
