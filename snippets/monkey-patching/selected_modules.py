# /// script
# requires-python = ">=3.10"
# dependencies = ["gevent>=25.4.1"]
# ///
from gevent import monkey

monkey.patch_socket()  # (1)!
monkey.patch_ssl()
monkey.patch_select()

for name in ("socket", "ssl", "select", "time", "threading"):  # (2)!
    print(f"{name} patched: {monkey.is_module_patched(name)}")
