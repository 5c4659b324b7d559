# The cmdlets against a simulator in its own process, over loopback HTTP.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-TestModule
    $sim = Start-SeedreamSimulator -LatencyMs 300
    # Never the user's own journal: this suite's paid-for tasks are simulated.
    $env:SEEDREAM_JOURNAL_PATH = Join-Path (New-TestFolder) 'journal.jsonl'

    function Test-IsPng([string] $Path) {
        $bytes = [System.IO.File]::ReadAllBytes($Path)
        $bytes.Length -gt 8 -and $bytes[0] -eq 0x89 -and $bytes[1] -eq 0x50 -and $bytes[2] -eq 0x4E -and $bytes[3] -eq 0x47
    }
}

AfterAll {
    Disconnect-Seedream
    Stop-SeedreamSimulator $sim
    $env:SEEDREAM_JOURNAL_PATH = $null
}

Describe 'Connect-Seedream' {
    BeforeEach { Disconnect-Seedream }

    It 'stores a connection and never shows the key' {
        $connection = Connect-Seedream -Gateway EvoLink -ApiKey $sim.ApiKey -BaseUri $sim.EvoLinkUri -PassThru
        $connection.Gateway | Should -Be 'EvoLink'
        $connection.ApiKey.ToString() | Should -Be '***'
        ($connection | Out-String) | Should -Not -Match $sim.ApiKey
        ($connection | Format-List * | Out-String) | Should -Not -Match $sim.ApiKey
        ($connection | ConvertTo-Json -Depth 3 -WarningAction SilentlyContinue) | Should -Not -Match $sim.ApiKey
    }

    It 'accepts the key as a SecureString' {
        $secure = ConvertTo-SecureString -String $sim.ApiKey -AsPlainText -Force
        Connect-Seedream -Gateway EvoLink -ApiKey $secure -BaseUri $sim.EvoLinkUri
        (New-SeedreamImage -Prompt 'a fox').Id | Should -Match '^task-unified-'
    }

    It 'refuses plain http to a host that is not loopback' {
        { Connect-Seedream -Gateway EvoLink -ApiKey 'k' -BaseUri 'http://api.example.com' } | Should -Throw '*https://*'
    }

    It 'says how to give a key when there is none' {
        $saved = $env:SEEDREAM_API_KEY
        $env:SEEDREAM_API_KEY = $null
        try {
            { Connect-Seedream -Gateway EvoLink } | Should -Throw '*-ApiKey*Connect-Seedream*SEEDREAM_API_KEY*'
        }
        finally { $env:SEEDREAM_API_KEY = $saved }
    }
}

Describe 'Get-SeedreamModel' {
    It 'lists every model of every gateway' {
        @(Get-SeedreamModel).Count | Should -Be 10
        (Get-SeedreamModel -Gateway ModelArk).Id | Should -Be @('seedream-4-0-250828', 'seedream-4-5-251128', 'seedream-5-0-260128', 'seedream-5-0-pro-260628')
        $pro = Get-SeedreamModel -Gateway EvoLink -Name '*5.0-pro'
        $pro.Qualities | Should -Be @('1K', '1.5K', '2K')
        $pro.DefaultQuality | Should -Be '1K'
        $pro.ImagesPerRequest | Should -Be 1
        $pro.PricePerImageUsd | Should -BeNullOrEmpty
    }

    It 'filters by gateway and name' {
        (Get-SeedreamModel -Gateway LinkModel).Id | Should -Be @('seedream-4.0', 'seedream-4.5')
        (Get-SeedreamModel -Gateway EvoLink -Name *4.5*).Qualities | Should -Be @('2K', '4K')
        (Get-SeedreamModel -Gateway EvoLink -Name 5.0).Id | Should -Be 'doubao-seedream-5.0-lite'
    }
}

Describe 'New-SeedreamImage' {
    BeforeEach {
        Reset-Sim $sim
        Connect-TestGateway
    }

    It 'submits a prompt and outputs a task' {
        $task = New-SeedreamImage -Prompt 'a fox in the snow' -Size 16:9 -Quality 2K
        $task | Should -BeOfType ([SeedreamPS.Core.Tasks.SeedreamTask])
        $task.Status | Should -BeIn @('Pending', 'Running')
        $task.Model | Should -Be 'doubao-seedream-4.0'
        Get-SimCounter $sim 'evolink.create' | Should -Be 1
    }

    It 'takes strings from the pipeline as prompts' {
        $tasks = 'one', 'two' | New-SeedreamImage
        $tasks.Count | Should -Be 2
        # Tasks come out in the order their creation completes.
        ($tasks.Request.Prompt | Sort-Object) | Should -Be @('one', 'two')
    }

    It 'waits with -Wait and outputs finished tasks' {
        $task = New-SeedreamImage -Prompt 'a fox' -Count 2 -Wait -TimeoutSec 30
        $task.Status | Should -Be 'Succeeded'
        $task.Images.Count | Should -Be 2
    }

    It 'rejects <Name> at the attribute, before anything is sent' -ForEach @(
        @{ Name = 'Count 0'; Bad = @{ Count = 0 } }
        @{ Name = 'Count 16'; Bad = @{ Count = 16 } }
        @{ Name = 'Quality 5K'; Bad = @{ Quality = '5K' } }
        @{ Name = 'Size 1:20'; Bad = @{ Size = '1:20' } }
        @{ Name = 'Size 100x100'; Bad = @{ Size = '100x100' } }
        @{ Name = 'Size 5000x5000'; Bad = @{ Size = '5000x5000' } }
        @{ Name = 'Size widescreen'; Bad = @{ Size = 'widescreen' } }
        @{ Name = 'an http callback'; Bad = @{ CallbackUri = 'http://example.com/cb' } }
        @{ Name = 'a loopback callback'; Bad = @{ CallbackUri = 'https://127.0.0.1/cb' } }
        @{ Name = 'a private callback'; Bad = @{ CallbackUri = 'https://192.168.1.10/cb' } }
        @{ Name = 'PromptPriority turbo'; Bad = @{ PromptPriority = 'turbo' } }
        @{ Name = '15 reference images'; Bad = @{ ReferenceImage = @(1..15 | ForEach-Object { "https://example.com/$_.png" }) } }
        @{ Name = 'an empty prompt'; Bad = @{ Prompt = '' } }
    ) {
        $splat = @{ Prompt = 'p' }
        foreach ($key in $Bad.Keys) { $splat[$key] = $Bad[$key] }
        { New-SeedreamImage @splat } | Should -Throw -ExceptionType ([System.Management.Automation.ParameterBindingException])
        Get-SimCounter $sim 'evolink.create' | Should -Be 0
    }

    It 'stops on a model rule with a message that names the parameter and the rule' {
        { New-SeedreamImage -Prompt 'p' -Model doubao-seedream-4.5 -Quality 1K } |
            Should -Throw "*Quality '1K' is not supported by doubao-seedream-4.5; use 2K or 4K.*"
        { New-SeedreamImage -Prompt 'p' -Count 10 -ReferenceImage @(1..6 | ForEach-Object { "https://example.com/$_.png" }) } |
            Should -Throw '*references plus images may be at most 15*'
        Get-SimCounter $sim 'evolink.create' | Should -Be 0
    }

    It 'sends nothing with -WhatIf and reports the estimated cost' {
        $information = New-SeedreamImage -Prompt 'p' -Model 4.5 -Count 3 -WhatIf 6>&1
        ($information | Out-String) | Should -Match 'In total 3 image\(s\), estimated \$0\.093'
        Get-SimCounter $sim 'evolink.create' | Should -Be 0
    }

    It 'sends nothing with -WhatIf for a whole CSV batch' {
        $rows = @(
            [pscustomobject]@{ Name = 'a'; Prompt = 'one'; Count = '2' }
            [pscustomobject]@{ Name = 'b'; Prompt = 'two'; Count = '1' }
        )
        $information = $rows | New-SeedreamImage -WhatIf 6>&1
        ($information | Out-String) | Should -Match 'In total 3 image\(s\), estimated \$0\.057'
        Get-SimCounter $sim 'evolink.create' | Should -Be 0
    }

    It 'reports a record without a Prompt property and goes on' {
        $rows = @([pscustomobject]@{ Title = 'no prompt here' }, [pscustomobject]@{ Prompt = 'fine' })
        $tasks = $rows | New-SeedreamImage -ErrorVariable failures -ErrorAction SilentlyContinue
        @($tasks).Count | Should -Be 1
        $failures.Count | Should -Be 1
        $failures[0].Exception.Message | Should -Match 'no Prompt property'
    }
}

Describe 'The CSV chain' {
    BeforeAll {
        $csv = Join-Path (New-TestFolder) 'banners.csv'
        @(
            'Name,Prompt,Size,Quality,Count'
            'hero,"A hero banner, bright",16:9,2K,2'
            'logo,A round logo,1:1,,1'
        ) | Set-Content -Path $csv -Encoding utf8
    }

    It 'names files from a CSV column on <Gateway>' -ForEach @(@{ Gateway = 'EvoLink' }, @{ Gateway = 'LinkModel' }) {
        Reset-Sim $sim
        Connect-TestGateway -Gateway $Gateway
        $out = New-TestFolder
        $files = Import-Csv $csv | New-SeedreamImage | Save-SeedreamImage -Path $out -FileName '{Name}-{Index}.png'
        ($files.Name | Sort-Object) | Should -Be @('hero-0.png', 'hero-1.png', 'logo-0.png')
        $files | ForEach-Object { $_ | Should -BeOfType ([System.IO.FileInfo]) }
        $files | ForEach-Object { Test-IsPng $_.FullName | Should -BeTrue }
        ($files | Where-Object Name -EQ 'logo-0.png').TaskId | Should -Not -BeNullOrEmpty
        (Get-ChildItem $out).Count | Should -Be 3
    }

    It 'saves every good row when one row is bad' {
        Reset-Sim $sim
        Connect-TestGateway
        $rows = @(Import-Csv $csv) + @(
            [pscustomobject]@{ Name = 'bad-size'; Prompt = 'x'; Size = '1:20'; Quality = '2K'; Count = '1' }
            [pscustomobject]@{ Name = 'bad-quality'; Prompt = 'x'; Size = '1:1'; Quality = '3K'; Count = '1' }
        )
        $out = New-TestFolder
        $files = $rows | New-SeedreamImage -ErrorAction Continue -ErrorVariable failures 2>$null |
            Save-SeedreamImage -Path $out -FileName '{Name}-{Index}.png'
        ($files.Name | Sort-Object) | Should -Be @('hero-0.png', 'hero-1.png', 'logo-0.png')
        $failures.Count | Should -Be 2
        ($failures | Out-String) | Should -Match '1:20'
        ($failures | Where-Object { $_.TargetObject.Name -eq 'bad-quality' }).Exception.Message | Should -Match "Quality '3K' is not supported by doubao-seedream-4.0"
        Get-SimCounter $sim 'evolink.create' | Should -Be 2
    }

    It 'keeps file names from data inside the folder' {
        Reset-Sim $sim
        Connect-TestGateway
        $out = New-TestFolder
        $files = [pscustomobject]@{ Name = '../../escape'; Prompt = 'p' } | New-SeedreamImage | Save-SeedreamImage -Path $out -FileName '{Name}.png'
        $files.DirectoryName | Should -Be (Get-Item $out).FullName
        $files.Name | Should -Be '.._.._escape.png'
    }
}

Describe 'Get-SeedreamTask and Wait-SeedreamTask' {
    BeforeEach {
        Reset-Sim $sim
        Set-SimConfig $sim @{ latencyMs = 300 }
        Connect-TestGateway
    }

    It 'gets a task by id' {
        $task = New-SeedreamImage -Prompt 'p'
        (Get-SeedreamTask -Id $task.Id).Id | Should -Be $task.Id
    }

    It 'takes ids by property name' {
        $task = New-SeedreamImage -Prompt 'p'
        ([pscustomobject]@{ Id = $task.Id } | Get-SeedreamTask).Id | Should -Be $task.Id
        ([pscustomobject]@{ TaskId = $task.Id } | Get-SeedreamTask).Id | Should -Be $task.Id
    }

    It 'refreshes piped tasks in place, keeping what they carried' {
        $task = [pscustomobject]@{ Name = 'kept'; Prompt = 'p' } | New-SeedreamImage
        $fresh = $task | Get-SeedreamTask
        $fresh.Context['Name'] | Should -Be 'kept'
    }

    It 'refuses a malformed id without sending it' {
        Get-SeedreamTask -Id '../../etc' -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'SeedreamPS.InvalidParameter.Id*'
        Get-SimCounter $sim 'evolink.query' | Should -Be 0
    }

    It 'reports a task the gateway does not know' {
        Get-SeedreamTask -Id 'task-unified-1-missing' -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'waits for many tasks together' {
        $tasks = 1..3 | ForEach-Object { New-SeedreamImage -Prompt "p$_" }
        $done = $tasks | Wait-SeedreamTask -TimeoutSec 30
        $done.Count | Should -Be 3
        $done | ForEach-Object { $_.Status | Should -Be 'Succeeded' }
    }

    It 'waits for ids' {
        $task = New-SeedreamImage -Prompt 'p'
        (Wait-SeedreamTask -Id $task.Id -TimeoutSec 30).Status | Should -Be 'Succeeded'
    }

    It 'reports tasks still running at -TimeoutSec as errors' {
        Set-SimConfig $sim @{ latencyMs = 60000 }
        $task = New-SeedreamImage -Prompt 'p'
        $done = $task | Wait-SeedreamTask -TimeoutSec 1 -ErrorAction SilentlyContinue -ErrorVariable failures
        $done | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'SeedreamPS.Timeout*'
        $failures[0].Exception.Message | Should -Match $task.Id
    }
}

Describe 'Save-SeedreamImage' {
    BeforeEach {
        Reset-Sim $sim
        Set-SimConfig $sim @{ latencyMs = 300 }
        Connect-TestGateway
        $out = New-TestFolder
    }

    It 'waits for unfinished tasks and saves every image' {
        $files = New-SeedreamImage -Prompt 'p' -Count 2 | Save-SeedreamImage -Path $out
        $files.Count | Should -Be 2
        $files | ForEach-Object { Test-IsPng $_.FullName | Should -BeTrue }
        $files[0].Name | Should -Match '^task-unified-.*-[01]\.png$'
    }

    It 'keeps an existing file unless -Force, and skips it with -NoClobber' {
        $task = New-SeedreamImage -Prompt 'p' -Wait
        $task | Save-SeedreamImage -Path $out -FileName 'one.png' | Out-Null
        Set-Content -Path (Join-Path $out 'one.png') -Value 'mine'
        $task | Save-SeedreamImage -Path $out -FileName 'one.png' -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures.Count | Should -Be 1
        Get-Content (Join-Path $out 'one.png') | Should -Be 'mine'
        $task | Save-SeedreamImage -Path $out -FileName 'one.png' -NoClobber | Should -BeNullOrEmpty
        Get-Content (Join-Path $out 'one.png') | Should -Be 'mine'
        $task | Save-SeedreamImage -Path $out -FileName 'one.png' -Force | Out-Null
        Test-IsPng (Join-Path $out 'one.png') | Should -BeTrue
        # The two switches are in parameter sets of their own: refused while binding, before anything runs.
        { $task | Save-SeedreamImage -Path $out -Force -NoClobber } | Should -Throw -ErrorId 'AmbiguousParameterSet,SeedreamPS.Commands.SaveSeedreamImageCommand'
        { Save-SeedreamImage -Id 'task-unified-x' -Path $out -Force -NoClobber } | Should -Throw -ErrorId 'AmbiguousParameterSet,SeedreamPS.Commands.SaveSeedreamImageCommand'
    }

    It 'saves images by URL' {
        $task = New-SeedreamImage -Prompt 'p' -Wait
        $file = $task.Images[0].Url.AbsoluteUri | Save-SeedreamImage -Path $out -FileName 'from-url.png'
        $file.Name | Should -Be 'from-url.png'
        Test-IsPng $file.FullName | Should -BeTrue
    }

    It 'saves by task id, given or piped' {
        $task = New-SeedreamImage -Prompt 'p' -Wait
        @(Save-SeedreamImage -Id $task.Id -Path $out -FileName 'by-id.png').Count | Should -Be 1
        @($task.Id | Save-SeedreamImage -Path $out -FileName 'piped-id.png').Count | Should -Be 1
    }

    It 'saves a batch that mixes both gateways' {
        Connect-TestGateway -Gateway LinkModel
        $link = New-SeedreamImage -Prompt 'p'
        Connect-TestGateway
        $evo = New-SeedreamImage -Prompt 'p'
        $files = @($link, $evo) | Save-SeedreamImage -Path $out -FileName '{Gateway}.png'
        ($files.Name | Sort-Object) | Should -Be @('EvoLink.png', 'LinkModel.png')
    }

    It 'reports a failed task as an error' {
        Invoke-RestMethod -Method Post -Uri "$($sim.Uri)/_sim/faults" -ContentType 'application/json' `
            -Body '[{"target":"evolink.create","kind":"TaskFail","errorCode":"content_policy_violation"}]' | Out-Null
        New-SeedreamImage -Prompt 'p' | Save-SeedreamImage -Path $out -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'SeedreamPS.TaskFailed.content_policy_violation*'
        (Get-ChildItem $out).Count | Should -Be 0
    }

    It 'leaves no partial file when a download breaks off' {
        $task = New-SeedreamImage -Prompt 'p' -Wait
        Invoke-RestMethod -Method Post -Uri "$($sim.Uri)/_sim/faults" -ContentType 'application/json' `
            -Body '[{"target":"image","kind":"Truncate","times":0}]' | Out-Null
        $task | Save-SeedreamImage -Path $out -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures.Count | Should -Be 1
        @(Get-ChildItem $out -Force).Count | Should -Be 0
    }
}

Describe 'Configuration from the environment' {
    BeforeEach {
        Reset-Sim $sim
        Disconnect-Seedream
        $saved = @{ Key = $env:SEEDREAM_API_KEY; Gateway = $env:SEEDREAM_GATEWAY; Base = $env:SEEDREAM_BASE_URI }
    }
    AfterEach {
        $env:SEEDREAM_API_KEY = $saved.Key
        $env:SEEDREAM_GATEWAY = $saved.Gateway
        $env:SEEDREAM_BASE_URI = $saved.Base
    }

    It 'needs no Connect-Seedream when SEEDREAM_API_KEY and SEEDREAM_BASE_URI are set' {
        $env:SEEDREAM_API_KEY = $sim.ApiKey
        $env:SEEDREAM_GATEWAY = $null
        $env:SEEDREAM_BASE_URI = $sim.EvoLinkUri
        (New-SeedreamImage -Prompt 'p').Gateway | Should -Be 'EvoLink'
    }

    It 'uses SEEDREAM_GATEWAY' {
        $env:SEEDREAM_API_KEY = $sim.ApiKey
        $env:SEEDREAM_GATEWAY = 'LinkModel'
        $env:SEEDREAM_BASE_URI = $sim.LinkModelUri
        (New-SeedreamImage -Prompt 'p').Gateway | Should -Be 'LinkModel'
    }

    It 'saves a result URL with no key anywhere, and its errors name the image host, not a gateway' {
        $env:SEEDREAM_API_KEY = $sim.ApiKey
        $env:SEEDREAM_GATEWAY = $null
        $env:SEEDREAM_BASE_URI = $sim.EvoLinkUri
        $task = New-SeedreamImage -Prompt 'p' -Wait
        $env:SEEDREAM_API_KEY = $null
        $env:SEEDREAM_BASE_URI = $null
        $url = $task.Images[0].Url.AbsoluteUri
        $file = $url | Save-SeedreamImage -Path $TestDrive -FileName 'keyless.png'
        Test-IsPng $file.FullName | Should -BeTrue
        $url.Replace($task.Id, 'task-that-never-was') | Save-SeedreamImage -Path $TestDrive -FileName 'missing.png' -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed.Count | Should -Be 1
        $failed[0].Exception.Message | Should -BeLike '*image*'
        $failed[0].Exception.Message | Should -Not -BeLike '*EvoLink*'
        Join-Path $TestDrive 'missing.png' | Should -Not -Exist
    }

    It 'names the three ways to give a key when none is set' {
        $env:SEEDREAM_API_KEY = $null
        $env:SEEDREAM_GATEWAY = $null
        $env:SEEDREAM_BASE_URI = $null
        { New-SeedreamImage -Prompt 'p' } | Should -Throw '*-ApiKey*Connect-Seedream*SEEDREAM_API_KEY*'
    }

    It 'takes -ApiKey, -Gateway and -BaseUri for one call' {
        $env:SEEDREAM_API_KEY = $null
        $task = New-SeedreamImage -Prompt 'p' -ApiKey $sim.ApiKey -Gateway LinkModel -BaseUri $sim.LinkModelUri
        $task.Gateway | Should -Be 'LinkModel'
    }
}

Describe 'Secrets' {
    It 'keeps the key out of every stream and every file, with -Verbose, -Debug and failures' {
        Reset-Sim $sim
        Connect-TestGateway
        $out = New-TestFolder
        $everything = & {
            'one', 'two' | New-SeedreamImage -Wait -Verbose -Debug | Save-SeedreamImage -Path $out -Verbose -Debug
            # A refused key stops the whole batch: a terminating error, written here with the rest.
            try { New-SeedreamImage -Prompt 'p' -ApiKey 'wrong-key-that-must-not-show' -ErrorAction Continue } catch { $_ | Out-String }
            Get-SeedreamTask -Id 'task-unified-1-missing' -Verbose -ErrorAction Continue
            Connect-Seedream -Gateway EvoLink -ApiKey $sim.ApiKey -BaseUri $sim.EvoLinkUri -PollIntervalSec 0.1 -PassThru -Verbose
        } *>&1 | Out-String
        $everything | Should -Not -Match $sim.ApiKey
        $everything | Should -Not -Match 'wrong-key-that-must-not-show'
        $everything | Should -Match 'POST'
        $files = Get-ChildItem $out -Recurse -File
        $files.Count | Should -Be 2
        foreach ($file in $files) { [System.IO.File]::ReadAllText($file.FullName) | Should -Not -Match $sim.ApiKey }
    }
}

Describe 'ModelArk' {
    BeforeEach {
        Reset-Sim $sim
        Set-SimConfig $sim @{ latencyMs = 100 }
        Connect-TestGateway -Gateway ModelArk
    }

    It 'answers with finished tasks that save through the same chain' {
        $out = New-TestFolder
        $rows = @(
            [pscustomobject]@{ Name = 'square'; Prompt = 'a red square'; Size = '2048x2048'; Count = '2' }
            [pscustomobject]@{ Name = 'wide'; Prompt = 'a wide field'; Size = '16:9'; Quality = '2K' }
        )
        $tasks = $rows | New-SeedreamImage -NoWatermark
        $tasks | ForEach-Object { $_.Status | Should -Be 'Succeeded'; $_.Gateway | Should -Be 'ModelArk' }
        # ModelArk answers JPEG: {Ext} names each file by its format.
        $files = $tasks | Save-SeedreamImage -Path $out -FileName '{Name}-{Index}{Ext}'
        ($files.Name | Sort-Object) | Should -Be @('square-0.jpeg', 'square-1.jpeg', 'wide-0.jpeg')
        Get-SimCounter $sim 'modelark.create' | Should -Be 2
    }

    It 'refuses Get-SeedreamTask, since there is nothing to query' {
        Get-SeedreamTask -Id 'ark-1-abc' -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].Exception.Message | Should -Match 'synchronously'
    }

    It 'runs Seedream 5.0 with its own tiers' {
        (New-SeedreamImage -Prompt 'p' -Model 5.0 -Quality 3K).Model | Should -Be 'seedream-5-0-260128'
        { New-SeedreamImage -Prompt 'p' -Model 5.0 -Quality 1K } | Should -Throw "*Quality '1K' is not supported by seedream-5-0-260128*"
    }
}

Describe 'Local reference images' {
    BeforeAll {
        # Real PNGs to use as references: generate two and keep them.
        $refs = New-ReferenceImages
    }

    BeforeEach {
        Reset-Sim $sim
        Set-SimConfig $sim @{ latencyMs = 0 }
        Connect-TestGateway
    }

    It 'uploads piped files and makes one task per file, named after it' {
        $out = New-TestFolder
        $files = Get-ChildItem (Join-Path $refs '*.png') | New-SeedreamImage -Prompt 'restyle this photo as a watercolour' |
            Save-SeedreamImage -Path $out -FileName '{BaseName}-styled.png'
        ($files.Name | Sort-Object) | Should -Be @('ref-0-styled.png', 'ref-1-styled.png')
        Get-SimCounter $sim 'files.upload' | Should -Be 2
    }

    It 'takes files and URLs together in -ReferenceImage' {
        $task = New-SeedreamImage -Prompt 'combine' -ReferenceImage @((Get-ChildItem (Join-Path $refs '*.png')) + 'https://example.com/style.png')
        $task.Request.ReferenceImages.Count | Should -Be 3
        Get-SimCounter $sim 'files.upload' | Should -Be 2
    }

    It 'resolves relative paths against the current location' {
        Push-Location $refs
        try {
            (New-SeedreamImage -Prompt 'p' -ReferenceImage './ref-0.png').Request.ReferenceImages[0] | Should -Be (Join-Path $refs 'ref-0.png')
        }
        finally { Pop-Location }
    }

    It 'refuses a file that is not an image before sending anything' {
        $bad = Join-Path (New-TestFolder) 'notes.png'
        Set-Content -Path $bad -Value 'not a picture'
        { New-SeedreamImage -Prompt 'p' -ReferenceImage $bad } | Should -Throw '*not an image*'
        Get-SimCounter $sim 'files.upload' | Should -Be 0
        Get-SimCounter $sim 'evolink.create' | Should -Be 0
    }

    It 'inlines files on ModelArk instead of uploading them' {
        Connect-TestGateway -Gateway ModelArk
        (New-SeedreamImage -Prompt 'p' -ReferenceImage (Join-Path $refs 'ref-0.png')).Status | Should -Be 'Succeeded'
        Get-SimCounter $sim 'files.upload' | Should -Be 0
    }
}

Describe 'Nothing paid for is lost' {
    BeforeEach {
        Reset-Sim $sim
        Set-SimConfig $sim @{ latencyMs = 200 }
        $journal = Join-Path (New-TestFolder) 'journal.jsonl'
        Connect-Seedream -Gateway EvoLink -ApiKey $sim.ApiKey -BaseUri $sim.EvoLinkUri -PollIntervalSec 0.1 -JournalPath $journal
        $rows = 1..3 | ForEach-Object { [pscustomobject]@{ Name = "row$_"; Prompt = "prompt $_" } }
    }

    It 'journals every created task before outputting it' {
        $tasks = $rows | New-SeedreamImage
        $lines = Get-Content $journal | ForEach-Object { $_ | ConvertFrom-Json }
        ($lines | Where-Object type -EQ 'created').id | Sort-Object | Should -Be ($tasks.Id | Sort-Object)
        (Get-Content $journal -Raw) | Should -Not -Match $sim.ApiKey
    }

    It 'reuses the paid tasks of the same batch with -Resume' {
        $first = $rows | New-SeedreamImage
        $again = $rows | New-SeedreamImage -Resume
        ($again.Id | Sort-Object) | Should -Be ($first.Id | Sort-Object)
        Get-SimCounter $sim 'evolink.create' | Should -Be 3
        ($again | Where-Object { $_.Context['Name'] -eq 'row2' }).Request.Prompt | Should -Be 'prompt 2'
    }

    It 'lists unsaved paid tasks and saves them with their names' {
        $rows | New-SeedreamImage | Out-Null
        $unsaved = @(Get-SeedreamTask -Unsaved)
        $unsaved.Count | Should -Be 3
        $out = New-TestFolder
        $files = $unsaved | Save-SeedreamImage -Path $out -FileName '{Name}.png'
        ($files.Name | Sort-Object) | Should -Be @('row1.png', 'row2.png', 'row3.png')
        @(Get-SeedreamTask -Unsaved).Count | Should -Be 0
    }

    It 'saves only what is missing when a batch is saved again' {
        $out = New-TestFolder
        $tasks = $rows | New-SeedreamImage -Wait
        $tasks | Select-Object -First 1 | Save-SeedreamImage -Path $out -FileName '{Name}.png' | Out-Null
        $downloads = Get-SimCounter $sim 'image'
        $files = $tasks | Save-SeedreamImage -Path $out -FileName '{Name}.png'
        $files.Count | Should -Be 2
        (Get-SimCounter $sim 'image') - $downloads | Should -Be 2
        (Get-ChildItem $out).Count | Should -Be 3
    }

    It 'holds a request whose earlier create never got an answer' {
        Invoke-RestMethod -Method Post -Uri "$($sim.Uri)/_sim/faults" -ContentType 'application/json' `
            -Body '[{"target":"evolink.create","kind":"Reset","afterHandling":true}]' | Out-Null
        New-SeedreamImage -Prompt 'lost answer' -ErrorAction SilentlyContinue -ErrorVariable first
        $first.Count | Should -Be 1
        New-SeedreamImage -Prompt 'lost answer' -Resume -ErrorAction SilentlyContinue -ErrorVariable held
        $held[0].FullyQualifiedErrorId | Should -BeLike 'SeedreamPS.OutcomeUnknown*'
        Get-SimCounter $sim 'evolink.create' | Should -Be 1
        (New-SeedreamImage -Prompt 'lost answer' -Resume -RetryUnknown).Id | Should -Match '^task-unified-'
        Get-SimCounter $sim 'evolink.create' | Should -Be 2
    }

    It 'turns a callback body into a task whose images save' {
        $task = New-SeedreamImage -Prompt 'p' -Wait
        $body = (Invoke-WebRequest -Uri "$($sim.EvoLinkUri)/v1/tasks/$($task.Id)" -Headers @{ Authorization = "Bearer $($sim.ApiKey)" }).Content
        $fromCallback = $body | ConvertFrom-SeedreamCallback
        $fromCallback.Id | Should -Be $task.Id
        $fromCallback.Status | Should -Be 'Succeeded'
        ($fromCallback | Save-SeedreamImage -Path (New-TestFolder)).Count | Should -Be 1
        '{"hello":1}' | ConvertFrom-SeedreamCallback -ErrorAction SilentlyContinue -ErrorVariable bad
        $bad[0].FullyQualifiedErrorId | Should -BeLike 'SeedreamPS.InvalidCallbackBody*'
    }

    It 'says an expired image expired' {
        Set-SimConfig $sim @{ latencyMs = 0; imageLifetimeSeconds = -5 }
        $task = New-SeedreamImage -Prompt 'p' -Wait
        $task | Save-SeedreamImage -Path (New-TestFolder) -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].Exception.Message | Should -Match 'has expired'
        @(Get-SeedreamTask -Unsaved).Count | Should -Be 0
        Set-SimConfig $sim @{ imageLifetimeSeconds = 86400 }
    }
}

Describe 'Batches' {
    BeforeEach {
        Reset-Sim $sim
        Set-SimConfig $sim @{ latencyMs = 300 }
        Connect-TestGateway
    }

    It 'submits every record with -ThrottleLimit and carries each row on its own task' {
        $rows = 1..12 | ForEach-Object { [pscustomobject]@{ Name = "row$_"; Prompt = "prompt $_" } }
        $tasks = $rows | New-SeedreamImage -ThrottleLimit 4
        $tasks.Count | Should -Be 12
        ($tasks | ForEach-Object { $_.Context['Name'] } | Sort-Object) | Should -Be ($rows.Name | Sort-Object)
        foreach ($task in $tasks) { $task.Request.Prompt | Should -Be ('prompt ' + $task.Context['Name'].Substring(3)) }
        Get-SimCounter $sim 'evolink.create' | Should -Be 12
    }

    It 'waits for and saves a 20-row batch with one file per row' {
        $out = New-TestFolder
        $files = 1..20 | ForEach-Object { [pscustomobject]@{ Name = "n$_"; Prompt = "p$_" } } |
            New-SeedreamImage -Wait | Save-SeedreamImage -Path $out -FileName '{Name}.png' -ThrottleLimit 4
        $files.Count | Should -Be 20
        (Get-ChildItem $out).Count | Should -Be 20
    }
}
