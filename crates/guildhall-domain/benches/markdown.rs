//! Rendering a typical forum reply (about 2 KB): paragraphs, a list, a link,
//! bold, a mention and a short code block.
//!
//! `cargo bench -p guildhall-domain --bench markdown`

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use guildhall_domain::markdown;
use std::hint::black_box;

const REPLY: &str = r#"Thanks @jane-smith, that is really helpful. I went back through the minutes from
the last three meetings and I think you are right that we never agreed a **final
date** for the open day. The room is booked for the whole of the second week, so we
have some room to move, but the caretaker needs to know by Friday.

Here is what I think still needs doing before then:

- confirm the date with the committee (I will send a poll tonight)
- ask the council whether the grant can cover printing
- find two more volunteers for the tea stall
- check the ramp at the side entrance is still usable

The guidance on running community events is at
[the council's events page](https://www.example.gov.uk/community/events), and it
says we need a risk assessment if more than 50 people are expected. Last year we
had about 80, so I am assuming we do. I have started one from the template and will
share it in the library once it is tidier.

For anyone helping with the sign-up sheet, the spreadsheet formula that counts
volunteers per slot is:

```
=COUNTIFS(B:B, "tea", C:C, "morning")
```

Parking is the other open question. The school has said we can use the top
playground, but only if someone stands at the gate between ten and twelve, and the
side road will be closed for resurfacing that week. I will ask at the school office.

If the totals look wrong, check that nobody has typed a space after the slot name;
that caught me out twice. It is also worth sorting by column C before you print,
because the printout is what people actually read on the day.

One more thing: the bunting from last year is in the cupboard under the stairs,
but about a third of it is torn. If anyone has a sewing machine and an hour spare,
that would save us buying new. Otherwise I will put a small amount in the budget
and we can decide at the next meeting. **Please reply by Thursday** if you can help
with any of the above, even if it is only for an hour, and I will put together a
rota over the weekend. Thanks again, everyone — this is shaping up nicely.
"#;

fn people(handle: &str) -> Option<String> {
    (handle == "jane-smith").then(|| format!("/people/{handle}"))
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("markdown");
    group.throughput(Throughput::Bytes(REPLY.len() as u64));
    group.bench_function("render_reply", |b| {
        b.iter(|| markdown::render(black_box(REPLY), black_box(2)))
    });
    group.bench_function("render_with_reply", |b| {
        b.iter(|| markdown::render_with(black_box(REPLY), black_box(2), &people))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
