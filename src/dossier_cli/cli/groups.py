"""The verb groups (`dossier add …`, `dossier list …`), shared by the record kinds.

Each command module attaches its commands to these, e.g. `add_app.command("company")`.
"""

from dossier_cli.cli.base import new_app

add_app = new_app("Add a record: company, person, sale, touch, gift.")
list_app = new_app("List records: companies, people, sales, touches.")
show_app = new_app("Show one record in full: company, person.")
edit_app = new_app("Change a record: company, person, touch, sale, gift.")
rm_app = new_app("Remove a record: company, person, sale, touch, gift.")
export_app = new_app("Write records out: companies, people, sales, touches, all, a printable dossier.")
import_app = new_app("Read records in from CSV, JSON, Excel or OpenDocument sheets, vCards and 1C bank statements.")
