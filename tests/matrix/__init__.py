"""The whole-site permission matrix's data (issue 16, item 2): the objects of two
initiatives, the expected answer per URL pattern and role, the leak scan."""
