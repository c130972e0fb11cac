from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('plan', '0006_goal_short_title'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchSynonym',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('words', models.CharField(help_text='以頓號分隔，例如「詐騙、詐欺」；搜尋其中任何一個詞時，也搜尋其他的詞。', max_length=200, verbose_name='同義詞')),
                ('reason', models.CharField(help_text='為何視為同義，例如民眾與原文的說法', max_length=200, verbose_name='理由')),
                ('position', models.PositiveSmallIntegerField(default=0, verbose_name='順序')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='最後修改')),
            ],
            options={
                'verbose_name': '搜尋同義詞',
                'verbose_name_plural': '搜尋同義詞',
                'ordering': ['position', 'pk'],
                'constraints': [models.CheckConstraint(condition=models.Q(('words', ''), _negated=True), name='search_synonym_words_not_empty')],
            },
        ),
    ]
