"""The complete example of python/README.md runs as written (from a
directory where datasets/ is the source tree's)."""
import os
import re

import pandas as pd


def test_readme_example(src, tmp_path, monkeypatch):
    text = (src / "python" / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    example = next(b for b in blocks if "f.save(" in b)
    (tmp_path / "datasets").symlink_to(src / "datasets")
    monkeypatch.chdir(tmp_path)
    scope = {}
    exec(compile(example, "python/README.md", "exec"), scope)
    fc, m = scope["fc"], scope["m"]
    assert isinstance(fc, pd.DataFrame) and len(fc) == 48
    assert scope["fc2"]["mean"].equals(fc["mean"])
    assert m["model"]["mase"] > 0 and os.path.exists("taylor.xfm")
