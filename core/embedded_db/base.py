from pathlib import Path

from core.embedded_db.server import database_ensure, server_socket_dir
from core.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    """PostgreSQL on the embedded server, started on the first connection."""

    def get_connection_params(self):
        params = super().get_connection_params()
        data_dir = Path(self.settings_dict["HOST"])
        # Usually the data folder itself; elsewhere when its path is too long
        # for a socket.
        params["host"] = str(server_socket_dir(data_dir))
        if self.settings_dict["NAME"]:
            database_ensure(data_dir, self.settings_dict["NAME"], params["user"])
        return params
