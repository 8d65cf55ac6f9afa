use guildhall_testkit::*;
