# What a PowerShell user pipes and gets back: files, tasks, CSV rows and manifests, and a scheduled job's exit code.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $sim = Start-TestSession -LatencyMs 200

    function Add-Fault([string] $Json) {
        Invoke-RestMethod -Method Post -Uri "$($sim.Uri)/_sim/faults" -ContentType 'application/json' -Body $Json | Out-Null
    }

    # Real PNG files to pipe as references.
    $refs = New-ReferenceImages
}

AfterAll { Stop-TestSession $sim }

Describe 'Piped files bind as reference images and nothing else' {
    BeforeEach {
        Reset-Sim $sim
        Set-SimConfig $sim @{ latencyMs = 0 }
        Connect-TestGateway
    }

    It 'ignores every property PowerShell adds to files on any OS (Size, Length, Mode, UnixMode, User, Group, ...)' {
        # On Linux and macOS PowerShell adds Size (the byte count), UnixMode, User and Group to every FileInfo; add
        # those the host did not, so the test means the same on every OS.
        $added = @{ UnixMode = '-rw-r--r--'; User = 'root'; Group = 'root' }
        $files = Get-ChildItem (Join-Path $refs '*.png') | ForEach-Object {
            $file = $_
            if (-not $file.PSObject.Properties['Size']) { $file | Add-Member -NotePropertyName Size -NotePropertyValue $file.Length }
            foreach ($name in $added.Keys) {
                if (-not $file.PSObject.Properties[$name]) { $file | Add-Member -NotePropertyName $name -NotePropertyValue $added[$name] }
            }
            $file
        }
        foreach ($name in @('Size', 'UnixMode', 'User', 'Group', 'Length', 'Mode')) { $files[0].PSObject.Properties[$name] | Should -Not -BeNullOrEmpty }
        $files[0].Size | Should -BeGreaterThan 1000
        $tasks = $files | New-SeedreamImage -Prompt 'the same product on a marble counter' -ErrorVariable failures
        $failures.Count | Should -Be 0
        @($tasks).Count | Should -Be 2
        foreach ($task in $tasks) {
            $task.Request.Size | Should -BeNullOrEmpty
            $task.Request.ReferenceImages.Count | Should -Be 1
            $task.Request.ReferenceImages[0] | Should -BeLike '*ref-?.png'
            $task.BaseName | Should -BeLike 'ref-?'
        }
        Get-SimCounter $sim 'files.upload' | Should -Be 2
    }

    It 'runs the README example as written: one task per file, each named after its file' {
        $out = New-TestFolder
        $saved = Get-ChildItem (Join-Path $refs '*.png') | New-SeedreamImage -Prompt 'the same product on a marble counter' |
            Save-SeedreamImage -Path $out -FileName '{BaseName}-new.png'
        ($saved.Name | Sort-Object) | Should -Be @('ref-0-new.png', 'ref-1-new.png')
    }

    It 'deletes the uploads once the tasks that used them have finished, unless -KeepUploads' {
        $out = New-TestFolder
        Get-ChildItem (Join-Path $refs '*.png') | New-SeedreamImage -Prompt 'restyle' | Save-SeedreamImage -Path $out | Out-Null
        Get-SimCounter $sim 'files.delete' | Should -Be 2
        Reset-Sim $sim
        Get-ChildItem (Join-Path $refs '*.png') | New-SeedreamImage -Prompt 'restyle' | Save-SeedreamImage -Path (New-TestFolder) -KeepUploads | Out-Null
        Get-SimCounter $sim 'files.delete' | Should -Be 0
    }

    It 'reads only request columns from a record that also carries file-like properties' {
        $record = [pscustomobject]@{
            Prompt = 'a fox'; Name = 'fox.png'; BaseName = 'fox'; Extension = '.png'; Length = 127523
            Mode = '-a---'; UnixMode = '-rw-r--r--'; User = 'root'; Group = 'root'; Attributes = 'Archive'; PSPath = 'FileSystem::/tmp/fox.png'
        }
        $task = $record | New-SeedreamImage -ErrorVariable failures
        $failures.Count | Should -Be 0
        $task.Request.Prompt | Should -Be 'a fox'
        $task.Request.Size | Should -BeNullOrEmpty
        $task.Request.ReferenceImages.Count | Should -Be 0
    }

    It 'takes a hashtable as a record' {
        $task = @{ Prompt = 'a hashtable prompt'; Size = '16:9'; Name = 'hash' } | New-SeedreamImage
        $task.Request.Size | Should -Be '16:9'
        $task.Name | Should -Be 'hash'
    }

    It 'lets the command line win over a record''s value' {
        $task = [pscustomobject]@{ Prompt = 'p'; Size = '1:1' } | New-SeedreamImage -Size 16:9
        $task.Request.Size | Should -Be '16:9'
    }

    It 'reports a record''s bad cell with the parameter''s error id and goes on' {
        $rows = @([pscustomobject]@{ Prompt = 'p'; Size = '127523' }, [pscustomobject]@{ Prompt = 'fine' })
        $tasks = $rows | New-SeedreamImage -ErrorAction SilentlyContinue -ErrorVariable failures
        @($tasks).Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'SeedreamPS.InvalidParameter.Size*'
        $failures[0].Exception.Message | Should -Match "Size '127523' is not a size"
    }
}

Describe 'Piped tasks keep what they carried' {
    It 'Get-SeedreamTask refreshes a piped task in place on <Gateway>' -ForEach @(@{ Gateway = 'EvoLink' }, @{ Gateway = 'LinkModel' }, @{ Gateway = 'ModelArk' }) {
        Reset-Sim $sim
        Set-SimConfig $sim @{ latencyMs = 200 }
        Connect-TestGateway -Gateway $Gateway
        $task = [pscustomobject]@{ Name = 'kept'; Campaign = 'spring'; Prompt = 'p' } | New-SeedreamImage
        $fresh = $task | Get-SeedreamTask
        $fresh.Id | Should -Be $task.Id
        $fresh.Context['Name'] | Should -Be 'kept'
        $fresh.Name | Should -Be 'kept'
        $fresh.Campaign | Should -Be 'spring'
        $fresh.Request.Prompt | Should -Be 'p'
    }

    It 'Wait-SeedreamTask keeps them on <Gateway>' -ForEach @(@{ Gateway = 'EvoLink' }, @{ Gateway = 'LinkModel' }, @{ Gateway = 'ModelArk' }) {
        Reset-Sim $sim
        Set-SimConfig $sim @{ latencyMs = 200 }
        Connect-TestGateway -Gateway $Gateway
        $done = [pscustomobject]@{ Name = 'waited'; Prompt = 'p' } | New-SeedreamImage | Wait-SeedreamTask -TimeoutSec 60
        $done.Status | Should -Be 'Succeeded'
        $done.Name | Should -Be 'waited'
        $done.Context['Name'] | Should -Be 'waited'
    }
}

Describe 'Tasks behave like PowerShell data' {
    BeforeAll {
        Reset-Sim $sim
        Set-SimConfig $sim @{ latencyMs = 0 }
        Connect-TestGateway
        $rows = @(
            [pscustomobject]@{ Name = 'hero-b'; Campaign = 'spring'; Prompt = 'one'; Status = 'draft' }
            [pscustomobject]@{ Name = 'hero-a'; Campaign = 'spring'; Prompt = 'two'; Status = 'draft' }
            [pscustomobject]@{ Name = 'logo'; Campaign = 'brand'; Prompt = 'three'; Status = 'final' }
        )
        $tasks = $rows | New-SeedreamImage -Wait
    }

    It 'makes the carried columns properties of the task' {
        ($tasks | Where-Object Name -Like 'hero*').Count | Should -Be 2
        ($tasks | Sort-Object Name).Name | Should -Be @('hero-a', 'hero-b', 'logo')
        $groups = $tasks | Group-Object Campaign | Sort-Object Name
        $groups.Name | Should -Be @('brand', 'spring')
        $groups[1].Count | Should -Be 2
    }

    It 'keeps the task''s meaning for a column that clashes with a task property, and the column in Context' {
        foreach ($task in $tasks) {
            $task.Status | Should -Be 'Succeeded'
            $task.Context['Status'] | Should -BeIn @('draft', 'final')
        }
    }

    It 'exports readable cells with Export-Csv' {
        $csv = Join-Path (New-TestFolder) 'tasks.csv'
        $tasks | Export-Csv -Path $csv -NoTypeInformation
        $text = Get-Content $csv -Raw
        $text | Should -Not -Match 'System\.Collections'
        $text | Should -Not -Match 'SeedreamPS\.Core'
        $back = Import-Csv $csv
        ($back | Sort-Object Name).Name | Should -Be @('hero-a', 'hero-b', 'logo')
        $back[0].Campaign | Should -Not -BeNullOrEmpty
        $back | ForEach-Object { $_.Images | Should -Match '^https?://' }
        $back[0].Prompt | Should -Not -BeNullOrEmpty
    }

    It 'converts to JSON with the image URLs and the columns' {
        $json = $tasks[0] | ConvertTo-Json -Depth 3
        $json | Should -Match ([regex]::Escape($tasks[0].Images[0].Url.AbsoluteUri))
        $json | Should -Match ('"Name"\s*:\s*"' + [regex]::Escape($tasks[0].Name) + '"')
        $json | Should -Not -Match 'SeedreamPS\.Core'
    }
}

Describe 'Saved files carry what produced them' {
    It 'adds the task, gateway, model, prompt, image index and the record''s columns to each FileInfo' {
        Reset-Sim $sim
        Set-SimConfig $sim @{ latencyMs = 0 }
        Connect-TestGateway
        $out = New-TestFolder
        $files = [pscustomobject]@{ Name = 'hero'; Campaign = 'spring'; Prompt = 'a hero banner'; Count = '2' } |
            New-SeedreamImage | Save-SeedreamImage -Path $out -FileName '{Name}-{Index}.png'
        $files.Count | Should -Be 2
        foreach ($file in $files) {
            $file | Should -BeOfType ([System.IO.FileInfo])
            $file.TaskId | Should -Match '^task-unified-'
            $file.Gateway | Should -Be 'EvoLink'
            $file.Model | Should -Be 'doubao-seedream-4.0'
            $file.Prompt | Should -Be 'a hero banner'
            $file.Campaign | Should -Be 'spring'
            $file.ImageIndex | Should -BeIn @(0, 1)
        }
        # A column that clashes with a FileInfo property (Name) leaves the file's own.
        ($files.Name | Sort-Object) | Should -Be @('hero-0.png', 'hero-1.png')
        ($files | Select-Object Name, Prompt)[0].Prompt | Should -Be 'a hero banner'
        $manifest = Join-Path (New-TestFolder) 'manifest.csv'
        $files | Select-Object Name, TaskId, ImageIndex, Prompt, Campaign | Export-Csv -Path $manifest -NoTypeInformation
        (Import-Csv $manifest | Sort-Object Name)[1].ImageIndex | Should -Be '1'
    }
}

Describe 'ModelArk batches and names' {
    BeforeEach {
        Reset-Sim $sim
        Set-SimConfig $sim @{ latencyMs = 0 }
        Connect-TestGateway -Gateway ModelArk
    }

    It 'saves the images of a batch it made in part and reports the one it refused' {
        Add-Fault '[{"target":"modelark.create","kind":"PartialFail"}]'
        $out = New-TestFolder
        $files = New-SeedreamImage -Prompt 'three variations' -Count 3 -ErrorAction SilentlyContinue -ErrorVariable failures |
            Save-SeedreamImage -Path $out
        @($files).Count | Should -Be 2
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'SeedreamPS.TaskFailed.OutputImageSensitiveContentDetected*'
    }

    It 'names JPEG results by their format, takes -OutputFormat png for 5.0 and searches the web with -WebSearch' {
        $out = New-TestFolder
        (New-SeedreamImage -Prompt 'p' -Model 4.0 | Save-SeedreamImage -Path $out).Extension | Should -Be '.jpeg'
        (New-SeedreamImage -Prompt 'p' -Model 5.0 -OutputFormat png | Save-SeedreamImage -Path $out).Extension | Should -Be '.png'
        (New-SeedreamImage -Prompt 'tomorrow''s weather as a poster' -Model 5.0 -WebSearch).WebSearches | Should -Be 1
        { New-SeedreamImage -Prompt 'p' -Model 4.5 -OutputFormat png } | Should -Throw '*answers JPEG only*'
    }

    It 'connects to Volcengine with -Region cn-beijing, also behind a -BaseUri, and refuses -Region elsewhere' {
        $volcengine = Connect-Seedream -Gateway ModelArk -ApiKey 'k' -Region cn-beijing -PassThru
        $volcengine.BaseUri.AbsoluteUri | Should -Be 'https://ark.cn-beijing.volces.com/api/v3/'
        $volcengine.Region | Should -Be 'cn-beijing'
        # A company proxy in front of Volcengine: -BaseUri is the address, the region still names the ids.
        $proxied = Connect-Seedream -Gateway ModelArk -ApiKey 'k' -Region cn-beijing -BaseUri 'https://ark-proxy.example.com/api/v3' -PassThru
        $proxied.BaseUri.AbsoluteUri | Should -Be 'https://ark-proxy.example.com/api/v3/'
        $proxied.Region | Should -Be 'cn-beijing'
        { Connect-Seedream -Gateway EvoLink -ApiKey 'k' -Region cn-beijing } | Should -Throw '*not a setting of EvoLink*setting of ModelArk*'
        Connect-TestGateway -Gateway ModelArk
    }

    It 'sends a Volcengine id as given, with its version''s limits' {
        # Volcengine's address takes only doubao- ids (BytePlus's refuses them), so this one goes there.
        (New-SeedreamImage -Prompt 'p' -Model doubao-seedream-4-0-250828 -BaseUri $sim.VolcengineUri).Model | Should -Be 'seedream-4-0-250828'
    }

    It 'names every model in the region''s id family: 4.5 and 5.0 Pro reach Volcengine with -Region cn-beijing' {
        Connect-Seedream -Gateway ModelArk -ApiKey $sim.ApiKey -Region cn-beijing -BaseUri $sim.VolcengineUri
        try {
            (New-SeedreamImage -Prompt 'p' -Model 4.5).Model | Should -Be 'seedream-4-5-251128'
            (New-SeedreamImage -Prompt 'p' -Model doubao-seedream-5.0-pro).Model | Should -Be 'seedream-5-0-pro-260628'
            (New-SeedreamImage -Prompt 'p').Status | Should -Be 'Succeeded'
        }
        finally { Connect-TestGateway -Gateway ModelArk }
    }

    It 'sends an endpoint id without its version, with one warning per command that says how to get the full checks' {
        Set-SimConfig $sim @{ modelArkEndpoints = @{ 'ep-20251201123456-abcde' = 'seedream-4-5-251128' } }
        $tasks = 'one', 'two' | New-SeedreamImage -Model 'ep-20251201123456-abcde' -WarningVariable warned -WarningAction SilentlyContinue
        @($tasks).Count | Should -Be 2
        @($warned).Count | Should -Be 1
        "$($warned[0])" | Should -BeLike '*without the Seedream version*ep-20251201123456-abcde@4.5*'
        # What no version takes is still refused before sending.
        { New-SeedreamImage -Prompt 'p' -Model 'ep-20251201123456-abcde' -Size 5000x5000 -WarningAction SilentlyContinue } | Should -Throw '*Size*'
    }

    It 'refuses Seedream 4.0 in the EU region before sending, naming what it sells' {
        Connect-Seedream -Gateway ModelArk -ApiKey $sim.ApiKey -Region eu-west -BaseUri $sim.ModelArkEuUri
        try {
            { New-SeedreamImage -Prompt 'p' -Model 4.0 } | Should -Throw '*not sold in ModelArk''s eu-west region*seedream-4-5-251128*'
            (New-SeedreamImage -Prompt 'p').Model | Should -Be 'seedream-4-5-251128'
        }
        finally { Connect-TestGateway -Gateway ModelArk }
    }

    It 'makes Count 3 on Seedream 5.0 Pro three one-image tasks, each carrying the record' {
        $tasks = [pscustomobject]@{ Name = 'pro-hero'; Prompt = 'a product shot'; Count = 3 } | New-SeedreamImage -Model 5.0-pro
        @($tasks).Count | Should -Be 3
        @($tasks | Where-Object Name -eq 'pro-hero').Count | Should -Be 3
        @($tasks.Id | Select-Object -Unique).Count | Should -Be 3
        $files = $tasks | Save-SeedreamImage -Path (New-TestFolder) -FileName '{Name}-{TaskId}{Ext}'
        @($files).Count | Should -Be 3
    }
}

Describe 'Failure messages' {
    It 'says what is known when LinkModel fails a task with an empty msg' {
        Reset-Sim $sim
        Set-SimConfig $sim @{ latencyMs = 0 }
        Connect-TestGateway -Gateway LinkModel
        Add-Fault '[{"target":"linkmodel.create","kind":"TaskFail","message":""}]'
        New-SeedreamImage -Prompt 'p' | Save-SeedreamImage -Path (New-TestFolder) -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures.Count | Should -Be 1
        $message = $failures[0].Exception.Message
        $message | Should -Match 'gave no reason'
        $message | Should -Match 'status Failed'
        $message | Should -Match 'request id'
        $message | Should -Not -Match ':\s*$'
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'SeedreamPS.TaskFailed.*'
    }
}

Describe 'Budgets' {
    BeforeEach {
        Reset-Sim $sim
        Set-SimConfig $sim @{ latencyMs = 0 }
        Connect-TestGateway
        $rows = 1..4 | ForEach-Object { [pscustomobject]@{ Name = "row$_"; Prompt = "prompt $_" } }
    }
    AfterEach { $env:SEEDREAM_MAX_COST_USD = $null }

    It 'sends no record past -MaxCostUsd and says why for each one' {
        # Seedream 4.0 on EvoLink costs $0.019 an image: $0.05 pays for two.
        $tasks = $rows | New-SeedreamImage -MaxCostUsd 0.05 -ErrorAction SilentlyContinue -ErrorVariable failures
        @($tasks).Count | Should -Be 2
        $failures.Count | Should -Be 2
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'SeedreamPS.BudgetExceeded*'
        $failures[0].Exception.Message | Should -Match 'budget is \$0\.050 and \$0\.038 is committed; this record would cost \$0\.019'
        Get-SimCounter $sim 'evolink.create' | Should -Be 2
    }

    It 'takes the budget from SEEDREAM_MAX_COST_USD' {
        $env:SEEDREAM_MAX_COST_USD = '0.02'
        $tasks = $rows | New-SeedreamImage -ErrorAction SilentlyContinue -ErrorVariable failures
        @($tasks).Count | Should -Be 1
        $failures.Count | Should -Be 3
    }

    It 'says with -WhatIf whether the batch fits' {
        ($rows | New-SeedreamImage -MaxCostUsd 1 -WhatIf 6>&1 | Out-String) | Should -Match 'fits the budget of \$1\.000'
        ($rows | New-SeedreamImage -MaxCostUsd 0.05 -WhatIf 6>&1 | Out-String) | Should -Match 'does not fit the budget of \$0\.050'
        Get-SimCounter $sim 'evolink.create' | Should -Be 0
    }

    It 'refuses a model without a published price under a budget unless allowed' {
        Connect-TestGateway -Gateway LinkModel
        New-SeedreamImage -Prompt 'p' -Model 4.5 -MaxCostUsd 10 -ErrorAction SilentlyContinue -ErrorVariable failures | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'SeedreamPS.BudgetUnpriced*'
        (New-SeedreamImage -Prompt 'p' -Model 4.5 -MaxCostUsd 10 -AllowUnpricedModel).Model | Should -Be 'seedream-4.5'
    }
}

Describe 'examples/ScheduledJob.ps1' {
    BeforeAll {
        $job = Join-Path (Get-TestRepoRoot) 'examples/ScheduledJob.ps1'
        function Invoke-Job([string] $Csv, [string] $Out, [string] $Journal, [string] $Gallery, [string] $Budget) {
            $environment = @{
                SEEDREAM_API_KEY = $sim.ApiKey; SEEDREAM_GATEWAY = 'EvoLink'; SEEDREAM_BASE_URI = $sim.EvoLinkUri; SEEDREAM_JOURNAL_PATH = $Journal
                SEEDREAM_JOB_CSV = $Csv; SEEDREAM_JOB_OUT = $Out; SEEDREAM_JOB_MODULE = Get-TestManifestPath
            }
            if ($Gallery) { $environment.SEEDREAM_JOB_GALLERY = $Gallery }
            if ($Budget) { $environment.SEEDREAM_MAX_COST_USD = $Budget }
            Invoke-TestPowerShell -Arguments @('-File', $job) -Environment $environment
        }
    }

    BeforeEach {
        Reset-Sim $sim
        Set-SimConfig $sim @{ latencyMs = 200 }
    }

    It 'exits 0 with a summary line, and a rerun pays for nothing twice' {
        $folder = New-TestFolder
        $csv = Join-Path $folder 'batch.csv'
        @('Name,Prompt', 'a,first prompt', 'b,second prompt') | Set-Content -Path $csv -Encoding utf8
        $journal = Join-Path $folder 'journal.jsonl'
        $first = Invoke-Job -Csv $csv -Out (Join-Path $folder 'out') -Journal $journal
        $first.ExitCode | Should -Be 0
        $first.Out | Should -Match 'SeedreamJob: submitted 2, reused 0, saved 2, failed 0'
        (Get-ChildItem (Join-Path $folder 'out')).Name | Sort-Object | Should -Be @('a-0.png', 'b-0.png')
        $again = Invoke-Job -Csv $csv -Out (Join-Path $folder 'out') -Journal $journal
        $again.ExitCode | Should -Be 0
        $again.Out | Should -Match 'SeedreamJob: submitted 0, reused 2, saved 0, failed 0'
        Get-SimCounter $sim 'evolink.create' | Should -Be 2
    }

    It 'keeps to its budget and ends in a gallery that lists what it refused' {
        $folder = New-TestFolder
        $csv = Join-Path $folder 'batch.csv'
        @('Name,Prompt', 'a,first', 'b,second', 'c,third') | Set-Content -Path $csv -Encoding utf8
        $gallery = Join-Path $folder 'out/index.html'
        $run = Invoke-Job -Csv $csv -Out (Join-Path $folder 'out') -Journal (Join-Path $folder 'journal.jsonl') -Gallery $gallery -Budget '0.04'
        $run.ExitCode | Should -Be 1
        $run.Out | Should -Match 'SeedreamJob: submitted 2, reused 0, saved 2, failed 1'
        Test-Path $gallery | Should -BeTrue
        $html = Get-Content $gallery -Raw
        ([regex]::Matches($html, '<figure>')).Count | Should -Be 2
        $html | Should -Match 'SeedreamPS.BudgetExceeded'
        Get-SimCounter $sim 'evolink.create' | Should -Be 2
    }

    It 'exits 1 when any record failed, after saving the rest' {
        $folder = New-TestFolder
        $csv = Join-Path $folder 'batch.csv'
        @('Name,Prompt,Size', 'good,a good prompt,1:1', 'bad,a bad size,1:20') | Set-Content -Path $csv -Encoding utf8
        $run = Invoke-Job -Csv $csv -Out (Join-Path $folder 'out') -Journal (Join-Path $folder 'journal.jsonl')
        $run.ExitCode | Should -Be 1
        $run.Out | Should -Match 'SeedreamJob: submitted 1, reused 0, saved 1, failed 1'
        $run.Err | Should -Match '1:20'
        (Get-ChildItem (Join-Path $folder 'out')).Name | Should -Be 'good-0.png'
    }

    It 'exits 1 and says why when the key is missing' {
        $folder = New-TestFolder
        $csv = Join-Path $folder 'batch.csv'
        @('Name,Prompt', 'a,p') | Set-Content -Path $csv -Encoding utf8
        $saved = $sim.ApiKey
        try {
            $sim | Add-Member -NotePropertyName ApiKey -NotePropertyValue '' -Force
            $run = Invoke-Job -Csv $csv -Out (Join-Path $folder 'out') -Journal (Join-Path $folder 'journal.jsonl')
        }
        finally { $sim | Add-Member -NotePropertyName ApiKey -NotePropertyValue $saved -Force }
        $run.ExitCode | Should -Be 1
        $run.Err | Should -Match 'SEEDREAM_API_KEY'
        Get-SimCounter $sim 'evolink.create' | Should -Be 0
    }
}
